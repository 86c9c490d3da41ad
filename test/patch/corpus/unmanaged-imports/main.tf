terraform {
  required_version = "~> 1.8"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
