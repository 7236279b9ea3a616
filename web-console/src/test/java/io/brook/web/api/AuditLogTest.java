package io.brook.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Audit lines name the route and the resource from the path, and nothing a client sends can forge a line. */
class AuditLogTest {
  @Test
  void routesAndResourcesFromPaths() {
    assertThat(AuditLog.routeAndResource("/api/topics/orders/records")).containsExactly("/api/topics/:name/records",
        "topic:orders");
    assertThat(AuditLog.routeAndResource("/api/topics/orders/partitions/3/reassign"))
        .containsExactly("/api/topics/:name/partitions/:partition/reassign", "topic:orders-3");
    assertThat(AuditLog.routeAndResource("/api/groups/g%201/offsets")).containsExactly("/api/groups/:group/offsets",
        "group:g_1");
    assertThat(AuditLog.routeAndResource("/api/cluster/brokers/2")).containsExactly("/api/cluster/brokers/:id",
        "broker:2");
    assertThat(AuditLog.routeAndResource("/api/topics")).containsExactly("/api/topics", "-");
    assertThat(AuditLog.routeAndResource("/api/topics/a%0Aprincipal=User:admin")[1]).doesNotContain("\n");
  }
}
