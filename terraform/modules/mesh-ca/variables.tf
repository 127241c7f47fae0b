variable "mesh_id" {
  type        = string
  description = "Istio mesh id; names the root CA so that certificates say which mesh they belong to."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.mesh_id))
    error_message = "mesh_id must be a DNS label: lowercase letters, digits and dashes, at most 63 characters."
  }
}

variable "clusters" {
  type        = set(string)
  description = "Names of the clusters (Istio cluster names) that each get an intermediate CA signed by the shared root."

  validation {
    condition     = length(var.clusters) > 0
    error_message = "clusters must name at least one cluster."
  }
}

variable "organization" {
  type        = string
  description = "Organization written into the CA certificates' subjects."
  default     = "meshdesk"
}

variable "root_validity_hours" {
  type        = number
  description = "How long the root CA is valid, in hours (default ten years)."
  default     = 87600
}

variable "intermediate_validity_hours" {
  type        = number
  description = "How long each cluster's intermediate CA is valid, in hours (default two years); rotate before it ends."
  default     = 17520

  validation {
    condition     = var.intermediate_validity_hours >= 720
    error_message = "intermediate_validity_hours must be at least 720 (30 days)."
  }
}
