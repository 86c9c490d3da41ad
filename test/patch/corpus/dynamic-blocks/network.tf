variable "office_cidrs" {
  type    = list(string)
  default = ["198.51.100.0/24", "203.0.113.0/24"]
}

locals {
  common_tags = {
    Team      = "edge"
    ManagedBy = "terraform"
  }
}

# Ingress rules come from a variable, so they are generated with a dynamic block.
resource "aws_security_group" "office" {
  name        = "office-access"
  description = "HTTPS from the offices"
  vpc_id      = "vpc-0edge"

  dynamic "ingress" {
    for_each = var.office_cidrs
    content {
      description = "HTTPS from ${ingress.value}"
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.common_tags, {
    Name = "office-access"
  })
}

resource "aws_lb" "edge" {
  name               = "edge"
  load_balancer_type = "application"
  internal           = false
  subnets            = ["subnet-0a", "subnet-0b"]
  security_groups    = [aws_security_group.office.id]
  idle_timeout       = 60

  dynamic "access_logs" {
    for_each = var.office_cidrs == [] ? [] : [1]
    content {
      bucket  = "edge-lb-logs"
      enabled = true
    }
  }

  tags = local.common_tags
}
