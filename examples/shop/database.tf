resource "aws_db_instance" "orders" {
  identifier     = "shop-orders"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t4g.medium"

  allocated_storage = 50
  storage_type      = "gp3"
  storage_encrypted = true

  db_name  = "orders"
  username = "shop_admin"
  password = var.db_password

  vpc_security_group_ids  = [aws_security_group.db.id]
  backup_retention_period = 7
  deletion_protection     = true
  skip_final_snapshot     = false

  final_snapshot_identifier = "shop-orders-final"
}
