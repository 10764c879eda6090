package io.coffer.taskmanager.compute.openstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.storage.openstack.OpenStackSession;
import io.coffer.testing.openstack.RealOpenStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient.OSClientV3;

/**
 * The OpenStack driver's image choice against the real Glance and Keystone (Debian's, on loopback):
 * images uploaded, tagged, deactivated and owned by another project there, and chosen through the
 * driver's own Keystone session as Coffer's service account.
 */
class GlanceImagesTest {

  private RealOpenStack cloud;
  private OSClientV3 os;
  private String tag;
  private final List<String[]> created = new ArrayList<>();

  @BeforeEach
  void start() {
    cloud = RealOpenStack.get();
    OpenStackSession session =
        new OpenStackSession(
            new OpenStackAccount(
                cloud.authUrl(),
                "coffer",
                cloud.password("coffer"),
                "Default",
                "service",
                "Default",
                Optional.empty(),
                "public"));
    os = session.client();
    // a tag of this run only: images of earlier runs never match
    tag = "coffer-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void cleanUp() {
    for (String[] image : created) {
      cloud.deleteImage(image[0], image[1]);
    }
  }

  /** Creates an image as a user, remembered for the clean-up. */
  private String image(String user, String name, boolean upload, String... tags)
      throws InterruptedException {
    String id = cloud.createImage(user, name, upload, tags);
    created.add(new String[] {user, id});
    // Glance orders by creation time with one-second resolution
    Thread.sleep(1100);
    return id;
  }

  private String choose(String... tags) {
    return GlanceImages.choose(os, null, List.of(tags), Optional.empty(), "postgresql 15");
  }

  @Test
  void theNewestActiveImageCarryingEveryTagIsChosen() throws Exception {
    String older = image("coffer", "guest-pg-old", true, tag, "postgresql");
    String newer = image("coffer", "guest-pg-new", true, tag, "postgresql");
    // newer still, but missing a tag, or without data (queued), or another project's
    image("coffer", "guest-mysql", true, tag, "mysql");
    image("coffer", "guest-pg-queued", false, tag, "postgresql");
    image("alpha", "tenant-pg", true, tag, "postgresql");

    assertThat(choose(tag, "postgresql")).isEqualTo(newer);
    assertThat(choose(tag, "mysql")).isNotEqualTo(newer).isNotEqualTo(older);

    // a deactivated image is passed over for the next newest
    HttpResponse<String> deactivate =
        cloud.send(
            HttpRequest.newBuilder(
                    URI.create(cloud.glanceUrl() + "/v2/images/" + newer + "/actions/deactivate"))
                .header("X-Auth-Token", cloud.token("admin"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(deactivate.statusCode()).as(deactivate.body()).isEqualTo(204);
    assertThat(choose(tag, "postgresql")).isEqualTo(older);
  }

  @Test
  void anImageIdWinsAndNoMatchingImageIsAClearFault() throws Exception {
    String tagged = image("coffer", "guest-pg", true, tag, "postgresql");

    assertThat(GlanceImages.choose(os, "given-id", List.of(tag), Optional.of("default"), "pg 15"))
        .isEqualTo("given-id");
    assertThat(GlanceImages.choose(os, null, List.of(), Optional.of(tagged), "pg 15"))
        .isEqualTo(tagged);
    assertThatThrownBy(() -> choose(tag, "postgresql", "15"))
        .hasMessage("no active image carries the tags " + tag + ",postgresql,15");
    assertThatThrownBy(
            () -> GlanceImages.choose(os, null, List.of(), Optional.empty(), "postgresql 15"))
        .hasMessageContaining("has no image id or tags");
  }
}
