# Who sees what in Grafana: a folder per audience, teams, and folder permissions.

resource "grafana_folder" "slo" {
  title = "meshdesk SLOs"
}

resource "grafana_folder" "services" {
  title = "meshdesk services"
}

resource "grafana_team" "ops" {
  name    = "ops"
  members = var.teams.ops
}

resource "grafana_team" "developers" {
  name    = "developers"
  members = var.teams.developers
}

resource "grafana_team" "viewers" {
  name    = "viewers"
  members = var.teams.viewers
}

resource "grafana_folder_permission" "slo" {
  folder_uid = grafana_folder.slo.uid

  permissions {
    team_id    = grafana_team.ops.id
    permission = "Admin"
  }
  permissions {
    team_id    = grafana_team.developers.id
    permission = "View"
  }
  permissions {
    team_id    = grafana_team.viewers.id
    permission = "View"
  }
}

resource "grafana_folder_permission" "services" {
  folder_uid = grafana_folder.services.uid

  permissions {
    team_id    = grafana_team.ops.id
    permission = "Admin"
  }
  permissions {
    team_id    = grafana_team.developers.id
    permission = "Edit"
  }
  permissions {
    team_id    = grafana_team.viewers.id
    permission = "View"
  }
}

resource "grafana_dashboard" "meshdesk" {
  for_each    = local.dashboards
  folder      = startswith(each.value, "slo") ? grafana_folder.slo.uid : grafana_folder.services.uid
  config_json = file("${var.observability_dir}/grafana/dashboards/${each.value}")
  overwrite   = true
}
