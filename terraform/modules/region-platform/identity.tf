# Who is calling (docs/adr/0003): every function verifies bearer JWTs of one identity provider.
# The functions take it from this ConfigMap (envFrom), so a change of provider is one apply, not
# a new revision of every function's configuration.
resource "kubernetes_config_map" "meshdesk_identity" {
  metadata {
    name      = "meshdesk-identity"
    namespace = kubernetes_namespace.meshdesk.metadata[0].name
  }

  data = {
    MP_JWT_VERIFY_ISSUER              = var.identity_issuer
    MP_JWT_VERIFY_PUBLICKEY_LOCATION  = var.identity_jwks_url
    MP_JWT_VERIFY_PUBLICKEY_ALGORITHM = "RS256,ES256"
  }
}
