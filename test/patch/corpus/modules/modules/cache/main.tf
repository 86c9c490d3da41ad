variable "name" {
  type = string
}

variable "node_type" {
  type    = string
  default = "cache.t4g.micro"
}

resource "aws_elasticache_cluster" "this" {
  cluster_id      = var.name
  engine          = "redis"
  node_type       = var.node_type
  num_cache_nodes = 1
  port            = 6379

  tags = {
    Name = var.name
  }
}

resource "aws_s3_bucket" "snapshots" {
  bucket = "${var.name}-snapshots"
}
