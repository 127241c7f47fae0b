# The region's state: one 3-member etcd (live, coordinated state; one per region, since
# cross-continent round trips make a global etcd slow) and PostgreSQL through CloudNativePG.

resource "helm_release" "etcd" {
  name       = "meshdesk-etcd"
  repository = "oci://registry-1.docker.io/bitnamicharts"
  chart      = "etcd"
  version    = var.versions.etcd_chart
  namespace  = kubernetes_namespace.meshdesk.metadata[0].name

  values = [yamlencode({
    replicaCount = 3
    auth         = { rbac = { create = false } }
    persistence  = { enabled = true, size = var.etcd_storage_size }
    pdb          = { create = true, minAvailable = 2 }
    # In the mesh, so that meshctl's AuthorizationPolicy "etcd" decides who reaches it (the
    # namespace allows nothing else); the account name is the topology's datastores[etcd].
    serviceAccount = { create = true, name = "meshdesk-etcd" }
  })]
}

resource "helm_release" "cnpg" {
  name             = "cloudnative-pg"
  repository       = "https://cloudnative-pg.github.io/charts"
  chart            = "cloudnative-pg"
  version          = var.versions.cnpg_chart
  namespace        = "cnpg-system"
  create_namespace = true
}

resource "kubernetes_manifest" "postgres" {
  manifest = {
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "Cluster"
    metadata   = { name = "meshdesk-pg", namespace = kubernetes_namespace.meshdesk.metadata[0].name }
    spec = {
      instances = var.postgres_instances
      storage   = { size = var.postgres_storage_size }
      bootstrap = { initdb = { database = "meshdesk", owner = "meshdesk" } }
    }
  }

  depends_on = [helm_release.cnpg]
}
