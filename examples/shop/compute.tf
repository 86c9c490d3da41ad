resource "aws_instance" "web" {
  count = 2

  ami                    = "ami-0c02fb55956c7d316"
  instance_type          = var.web_instance_type
  subnet_id              = "subnet-0f1e2d3c4b5a69788"
  vpc_security_group_ids = [aws_security_group.web.id]
  iam_instance_profile   = aws_iam_instance_profile.app.name

  metadata_options {
    http_tokens = "required" # IMDSv2 only
  }

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
    encrypted   = true
  }

  tags = {
    Name = "shop-web-${count.index}"
  }
}
