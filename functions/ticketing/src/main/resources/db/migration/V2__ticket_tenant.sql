-- Who may see a ticket: its customer, and the agents of the tenant it was opened in (issue 14).
-- Tickets from before tenants belong to the default tenant, as do tokens that name none.
alter table ticket add column tenant text not null default 'default';
create index ticket_by_tenant on ticket (tenant, created_at desc);
