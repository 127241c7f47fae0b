/**
 * Ticketing's value types: the ticket, its status, priority and author role, the checked requests
 * and the events that announce a change. They depend on nothing else in ticketing, so lifecycle,
 * storage, sla and transcript all sit on this package and none of them on each other in a circle
 * (ArchitectureTest keeps it so).
 */
package io.meshdesk.ticketing.ticket;
