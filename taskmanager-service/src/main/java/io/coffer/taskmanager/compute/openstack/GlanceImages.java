package io.coffer.taskmanager.compute.openstack;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.image.v2.Image;

/**
 * Which Glance image a datastore version's servers boot from, as Trove chooses it: the version's
 * own image id; else the newest active image carrying every one of its tags; else the driver's
 * configured default image.
 *
 * <p>Unlike Trove, only images of the driver's own project or public ones are considered: Glance
 * lists every project's private images to an account with the admin role, so a tenant could
 * otherwise upload an image with the right tags and have it booted for other tenants' databases.
 */
final class GlanceImages {

  private GlanceImages() {}

  /**
   * @param imageId the datastore version's image id, if it has one
   * @param tags the datastore version's image tags (Trove's image_tags), possibly empty
   * @param fallback the configured default image
   * @param version the datastore version, for the message when nothing fits
   */
  static String choose(
      OSClientV3 os, String imageId, List<String> tags, Optional<String> fallback, String version) {
    if (imageId != null && !imageId.isBlank()) {
      return imageId;
    }
    if (!tags.isEmpty()) {
      String project = os.getToken().getProject().getId();
      // Glance filters on one tag (and status); the other tags are checked here
      return os.imagesV2().list(Map.of("tag", tags.get(0), "status", "active")).stream()
          .filter(i -> i.getStatus() == Image.ImageStatus.ACTIVE)
          .filter(
              i ->
                  project.equals(i.getOwner()) || i.getVisibility() == Image.ImageVisibility.PUBLIC)
          .filter(i -> i.getTags() != null && i.getTags().containsAll(tags))
          .max(
              Comparator.comparing(
                  Image::getCreatedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
          .map(Image::getId)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no active image carries the tags " + String.join(",", tags)));
    }
    return fallback.orElseThrow(
        () ->
            new IllegalStateException(
                "the datastore version "
                    + version
                    + " has no image id or tags and coffer.taskmanager.openstack.image-id"
                    + " is not set"));
  }
}
