output "region" {
  description = "The region this platform serves."
  value       = var.region
}

output "meshdesk_namespace" {
  description = "Namespace the functions are deployed into (by meshctl apply)."
  value       = kubernetes_namespace.meshdesk.metadata[0].name
}

output "etcd_endpoints" {
  description = "etcd client URLs for MESHDESK_ETCD_ENDPOINTS."
  value       = join(",", [for i in range(3) : "http://meshdesk-etcd-${i}.meshdesk-etcd-headless.${kubernetes_namespace.meshdesk.metadata[0].name}.svc.cluster.local:2379"])
}

output "postgres_host" {
  description = "Read-write service of the region's PostgreSQL cluster (the credentials are in the meshdesk-pg-app secret)."
  value       = "meshdesk-pg-rw.${kubernetes_namespace.meshdesk.metadata[0].name}.svc.cluster.local"
}

output "prometheus_federation_url" {
  description = "Where the central Prometheus federates this region from."
  value       = "http://prometheus-regional-server.${kubernetes_namespace.monitoring.metadata[0].name}.svc.cluster.local/federate"
}
