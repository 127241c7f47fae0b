# One root CA for the whole mesh, one intermediate per cluster. Cross-cluster mTLS works only
# when every istiod signs workload certificates with an intermediate of the same root.

resource "tls_private_key" "root" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P384"
}

resource "tls_self_signed_cert" "root" {
  private_key_pem       = tls_private_key.root.private_key_pem
  is_ca_certificate     = true
  validity_period_hours = var.root_validity_hours

  subject {
    common_name  = "${var.mesh_id} root CA"
    organization = var.organization
  }

  allowed_uses = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"]
}

resource "tls_private_key" "intermediate" {
  for_each    = var.clusters
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "intermediate" {
  for_each        = var.clusters
  private_key_pem = tls_private_key.intermediate[each.key].private_key_pem

  subject {
    common_name  = "${var.mesh_id} intermediate CA ${each.key}"
    organization = var.organization
  }
}

resource "tls_locally_signed_cert" "intermediate" {
  for_each              = var.clusters
  cert_request_pem      = tls_cert_request.intermediate[each.key].cert_request_pem
  ca_private_key_pem    = tls_private_key.root.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.root.cert_pem
  is_ca_certificate     = true
  validity_period_hours = var.intermediate_validity_hours

  allowed_uses = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"]
}
