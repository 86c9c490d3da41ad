# Two legacy databases whose master password was written into the file before anyone knew better.
resource "aws_db_instance" "legacy" {
  count = 2

  identifier          = "legacy-${count.index}"
  engine              = "mysql"
  instance_class      = "db.t3.micro"
  username            = "admin"
  password            = "Legacy-Pa55-literal"
  publicly_accessible = false
  storage_encrypted   = true
  multi_az            = false
  skip_final_snapshot = true
}
