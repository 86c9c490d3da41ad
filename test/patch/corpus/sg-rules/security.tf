terraform {
  required_version = ">= 1.6"
}

# Inline rules: Terraform owns every rule of this group.
resource "aws_security_group" "api" {
  name        = "api"
  description = "API servers"
  vpc_id      = "vpc-0main"

  ingress {
    description = "HTTPS from the load balancers"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.1.0/24", "10.0.2.0/24"]
  }

  # Health checks from the monitoring network.
  ingress {
    description = "Health checks"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.9.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# No inline rules: each rule is its own resource.
resource "aws_security_group" "db" {
  name        = "db"
  description = "Database"
  vpc_id      = "vpc-0main"
}

resource "aws_vpc_security_group_ingress_rule" "db_from_api" {
  security_group_id            = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.api.id
}
