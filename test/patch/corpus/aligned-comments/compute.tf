# Bastion and API hosts. Attribute groups are aligned the way `terraform fmt`
# leaves them; comments sit everywhere a reviewer might put them.

resource "aws_instance" "bastion" {
  ami                         = "ami-0c55b159cbfafe1f0" # Amazon Linux 2, pinned
  instance_type               = "t3.nano"               # smallest that boots
  associate_public_ip_address = true
  key_name                    = "ops-2023"              // rotated yearly
  subnet_id                   = "subnet-0a1b2c3d"

  /* The bastion is reachable from the office only. */
  vpc_security_group_ids = ["sg-0bastion"]

  root_block_device {
    volume_size = 8 # GiB
    volume_type = "gp3"
  }

  tags = {
    Name        = "bastion"
    Environment = "prod" # keep in sync with the account
    Owner       = "platform"
  }
}

resource "aws_db_instance" "api" {
  identifier        = "api-prod"
  engine            = "postgres"
  engine_version    = "15.4"
  instance_class    = "db.t3.medium"
  allocated_storage = 100

  # Backups: a week, at night.
  backup_retention_period = 7
  backup_window           = "02:00-03:00"

  multi_az            = true
  publicly_accessible = false
  deletion_protection = true
  skip_final_snapshot = false
}
