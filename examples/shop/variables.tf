variable "region" {
  description = "Region the shop runs in."
  type        = string
  default     = "us-east-1"
}

variable "web_instance_type" {
  type    = string
  default = "t3.small"
}

variable "db_password" {
  description = "Master password of the orders database."
  type        = string
  sensitive   = true
  default     = "demo-Orders-pw-8d3f"
}
