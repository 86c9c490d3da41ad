locals {
  queues = toset(["ingest", "render"])
}

# One worker per queue; sizes are written in the for_each map itself.
resource "aws_instance" "worker" {
  for_each = {
    ingest = { type = "c6i.large", disk = 50 }
    render = {
      type = "g5.xlarge"
      disk = 200
    }
  }

  ami           = "ami-0workers"
  instance_type = each.value.type
  monitoring    = true

  root_block_device {
    volume_size = each.value.disk
  }

  tags = {
    Name  = "worker-${each.key}"
    Queue = each.key
  }
}

resource "aws_sqs_queue" "jobs" {
  for_each = local.queues

  name                       = "jobs-${each.key}"
  visibility_timeout_seconds = 300
  message_retention_seconds  = 345600
}

resource "aws_instance" "replica" {
  count = 3

  ami           = "ami-0replica"
  instance_type = "r6g.large"
  subnet_id     = element(["subnet-a", "subnet-b", "subnet-c"], count.index)

  tags = {
    Name = "replica-${count.index}"
  }
}
