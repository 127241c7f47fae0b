terraform {
  required_version = ">= 1.5.0"

  required_providers {
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.17.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35.1"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0.6"
    }
    grafana = {
      source  = "grafana/grafana"
      version = "~> 3.22.0"
    }
  }

  # Remote state: the CA keys and Grafana's password live in it. Configure a backend with
  # encryption and locking at init time, for example:
  #   terraform init -backend-config=backend.hcl
  # with backend.hcl naming an S3 bucket (encrypt = true) and a DynamoDB lock table, or a GCS
  # bucket with a customer-managed key. See README.md.
  backend "s3" {}
}
