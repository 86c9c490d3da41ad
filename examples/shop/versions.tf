terraform {
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The demo keeps its state beside the code; a real workspace would use an S3 backend.
  backend "local" {
    path = "terraform.tfstate"
  }
}
