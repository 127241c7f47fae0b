# The platform of one region: Istio (multi-primary, multi-network), Knative Serving and
# Eventing on Istio, a 3-member etcd, PostgreSQL and the regional Prometheus. meshctl ships the
# functions onto it; nothing here deploys a function release.

locals {
  istio_repo   = "https://istio-release.storage.googleapis.com/charts"
  istio_labels = { "topology.istio.io/network" = var.network }
}

resource "kubernetes_namespace" "istio_system" {
  metadata {
    name   = "istio-system"
    labels = local.istio_labels
  }
}

# Istio reads its CA from this secret at start: it must exist before istiod.
resource "kubernetes_secret" "cacerts" {
  metadata {
    name      = "cacerts"
    namespace = kubernetes_namespace.istio_system.metadata[0].name
  }
  data = var.cacerts
}

resource "helm_release" "istio_base" {
  name       = "istio-base"
  repository = local.istio_repo
  chart      = "base"
  version    = var.versions.istio
  namespace  = kubernetes_namespace.istio_system.metadata[0].name
}

resource "helm_release" "istiod" {
  name       = "istiod"
  repository = local.istio_repo
  chart      = "istiod"
  version    = var.versions.istio
  namespace  = kubernetes_namespace.istio_system.metadata[0].name

  values = [yamlencode({
    global = {
      meshID       = var.mesh_id
      multiCluster = { clusterName = var.cluster_name }
      network      = var.network
    }
    meshConfig = {
      accessLogFile = "/dev/stdout"
      defaultConfig = { proxyMetadata = { ISTIO_META_DNS_CAPTURE = "true" } }
    }
  })]

  depends_on = [helm_release.istio_base, kubernetes_secret.cacerts]
}

# The gateway chart names the gateway's service account after the release: meshctl's
# AuthorizationPolicies allow cluster.local/ns/<namespace>/sa/<name> from the same topology entry.
resource "helm_release" "ingress_gateway" {
  name             = var.ingress_gateway.name
  repository       = local.istio_repo
  chart            = "gateway"
  version          = var.versions.istio
  namespace        = var.ingress_gateway.namespace
  create_namespace = var.ingress_gateway.namespace != kubernetes_namespace.istio_system.metadata[0].name

  values = [yamlencode({
    labels = merge(var.ingress_gateway.labels, { app = var.ingress_gateway.name })
    service = {
      type        = "LoadBalancer"
      annotations = { "meshdesk.io/host" = var.ingress_host }
    }
  })]

  depends_on = [helm_release.istiod]
}

# Cross-cluster traffic enters here on 15443 (AUTO_PASSTHROUGH, mTLS end to end); the Gateway
# resource that opens the port is rendered by mesh-config.
resource "helm_release" "eastwest_gateway" {
  name       = "istio-eastwestgateway"
  repository = local.istio_repo
  chart      = "gateway"
  version    = var.versions.istio
  namespace  = kubernetes_namespace.istio_system.metadata[0].name

  values = [yamlencode({
    labels = merge(local.istio_labels, { istio = "eastwestgateway", app = "istio-eastwestgateway" })
    env    = { ISTIO_META_REQUESTED_NETWORK_VIEW = var.network }
    service = {
      type = "LoadBalancer"
      ports = [
        { name = "status-port", port = 15021, targetPort = 15021 },
        { name = "tls", port = 15443, targetPort = 15443 },
        { name = "tls-istiod", port = 15012, targetPort = 15012 },
        { name = "tls-webhook", port = 15017, targetPort = 15017 },
      ]
    }
  })]

  depends_on = [helm_release.istiod]
}

# One istio remote secret per other cluster: istiod watches their API servers for endpoints.
resource "kubernetes_secret" "remote" {
  for_each = var.remote_clusters

  metadata {
    name      = "istio-remote-secret-${each.key}"
    namespace = kubernetes_namespace.istio_system.metadata[0].name
    labels    = { "istio/multiCluster" = "true" }
    annotations = {
      "networking.istio.io/cluster" = each.key
    }
  }

  # The secret's key is the cluster name, as istioctl create-remote-secret writes it.
  data = zipmap([each.key], [yamlencode({
    apiVersion = "v1"
    kind       = "Config"
    clusters = [{
      name    = each.key
      cluster = { server = each.value.server, "certificate-authority-data" = base64encode(each.value.certificate_authority) }
    }]
    users             = [{ name = each.key, user = { token = each.value.service_account_token } }]
    contexts          = [{ name = each.key, context = { cluster = each.key, user = each.key } }]
    "current-context" = each.key
  })])
}
