provider "kubernetes" {
  alias          = "cn_north"
  config_path    = var.kubeconfig
  config_context = var.cn_north_context
}

provider "helm" {
  alias = "cn_north"
  kubernetes {
    config_path    = var.kubeconfig
    config_context = var.cn_north_context
  }
}

provider "kubernetes" {
  alias          = "us_east"
  config_path    = var.kubeconfig
  config_context = var.us_east_context
}

provider "helm" {
  alias = "us_east"
  kubernetes {
    config_path    = var.kubeconfig
    config_context = var.us_east_context
  }
}

provider "kubernetes" {
  alias          = "central"
  config_path    = var.kubeconfig
  config_context = var.central_context
}

provider "helm" {
  alias = "central"
  kubernetes {
    config_path    = var.kubeconfig
    config_context = var.central_context
  }
}

provider "grafana" {
  url  = var.grafana_url
  auth = "admin:${var.grafana_admin_password}"
}
