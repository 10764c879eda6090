package io.coffer.model.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DbaasNotificationTest {

  @Test
  void actionsAndTrovesClassNamesMapBothWays() {
    assertThat(DbaasNotification.className("database_create"))
        .isEqualTo("trove.common.notification.DBaaSDatabaseCreate");
    assertThat(DbaasNotification.className("user_change_password"))
        .isEqualTo("trove.common.notification.DBaaSUserChangePassword");
    for (String action :
        new String[] {
          "database_create", "user_update_attributes", "instance_resize_volume", "backup_create"
        }) {
      Map<String, Object> s = DbaasNotification.serialize(action, Map.of("instance_id", "i"));
      assertThat(DbaasNotification.action(s)).isEqualTo(action);
      assertThat(DbaasNotification.payload(s)).isEqualTo(Map.of("instance_id", "i"));
    }
  }

  @Test
  void aContextWithoutATroveNotificationHasNoAction() {
    assertThat(DbaasNotification.action(null)).isNull();
    assertThat(DbaasNotification.action(Map.of("instance_id", "i"))).isNull();
    assertThat(DbaasNotification.action(Map.of("notification_classname", "os.path.Something")))
        .isNull();
  }
}
