output "root_cert_pem" {
  description = "The mesh's root CA certificate (public)."
  value       = tls_self_signed_cert.root.cert_pem
}

output "cacerts" {
  description = "Per cluster, the four files of Istio's cacerts secret (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem)."
  sensitive   = true
  value = {
    for cluster in var.clusters : cluster => {
      "ca-cert.pem"    = tls_locally_signed_cert.intermediate[cluster].cert_pem
      "ca-key.pem"     = tls_private_key.intermediate[cluster].private_key_pem
      "root-cert.pem"  = tls_self_signed_cert.root.cert_pem
      "cert-chain.pem" = join("", [tls_locally_signed_cert.intermediate[cluster].cert_pem, tls_self_signed_cert.root.cert_pem])
    }
  }
}
