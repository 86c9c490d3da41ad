resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"

  tags = {
    Name = "assets"
  }
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket              = aws_s3_bucket.assets.id
  block_public_acls   = true
  block_public_policy = true
}