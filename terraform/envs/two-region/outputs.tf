output "etcd_endpoints" {
  description = "MESHDESK_ETCD_ENDPOINTS per region, for the functions' Secret."
  value = {
    "cn-north" = module.cn_north.etcd_endpoints
    "us-east"  = module.us_east.etcd_endpoints
  }
}

output "postgres_hosts" {
  description = "Read-write PostgreSQL service per region."
  value = {
    "cn-north" = module.cn_north.postgres_host
    "us-east"  = module.us_east.postgres_host
  }
}

output "mesh_root_cert_pem" {
  description = "The mesh's root CA certificate (public; clients of the east-west gateways may pin it)."
  value       = module.mesh_ca.root_cert_pem
}

output "central_prometheus_url" {
  description = "In-cluster URL of the central Prometheus."
  value       = module.central.prometheus_url
}
