terraform {
  required_version = ">= 1.7.0, < 2.0.0"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

# Retired queue; deleted by hand during the incident.
resource "aws_sqs_queue" "legacy" {
  name                      = "legacy-jobs"
  message_retention_seconds = 86400
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/prod"
  retention_in_days = 30
}

resource "aws_sns_topic_subscription" "alerts_email" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "oncall@example.com"
}
