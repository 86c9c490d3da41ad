# Imports proposed by driftwatch and merged earlier.
import {
  to = aws_s3_bucket.acme_scratch
  id = "acme-scratch"
}

resource "aws_s3_bucket" "acme_scratch" {
  bucket = "acme-scratch"
}
