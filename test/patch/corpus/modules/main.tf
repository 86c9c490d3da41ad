terraform {
  required_version = ">= 1.7.0"
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Environment = "prod"
      Repository  = "acme/platform"
    }
  }
}

# Local module, called once.
module "cache" {
  source = "./modules/cache"

  name      = "sessions"
  node_type = "cache.t4g.small"
}

# Registry module: its resources live outside this repository.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name = "prod"
  cidr = "10.20.0.0/16"
}
