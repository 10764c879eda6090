package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.VolumeTypeEntity;
import io.coffer.persistence.repository.VolumeTypeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;

/**
 * The volume types the compute driver offers (copied by the taskmanager: Cinder's on OpenStack, the
 * local driver's one kind), a datastore version's share of them, and the check of a create's {@code
 * volume.type} as Trove makes it — done here, before anything is created, instead of by a failed
 * build.
 */
@ApplicationScoped
public class VolumeTypeService {

  private final VolumeTypeRepository types;
  private final DatastoreAdmin admin;

  VolumeTypeService(VolumeTypeRepository types, DatastoreAdmin admin) {
    this.types = types;
    this.admin = admin;
  }

  /** Every offered type. */
  @Transactional
  public List<VolumeTypeEntity> offered() {
    return types.offered();
  }

  /** One offered type, by id or name; 404 otherwise. */
  @Transactional
  public VolumeTypeEntity show(String ref) {
    return types
        .offered(ref)
        .orElseThrow(() -> CofferException.notFound("Volume type " + ref + " cannot be found."));
  }

  /** The types a datastore version may use: its whitelist among the offered ones, else all. */
  @Transactional
  public List<VolumeTypeEntity> allowedFor(String versionId) {
    Set<String> whitelist = admin.volumeTypeWhitelist(versionId);
    List<VolumeTypeEntity> all = types.offered();
    return whitelist.isEmpty()
        ? all
        : all.stream().filter(t -> whitelist.contains(t.name) || whitelist.contains(t.id)).toList();
  }

  /**
   * Checks the volume type a create asks for; returns the name the compute driver is given (null:
   * its default). Runs in the create's transaction.
   */
  public String forCreate(String requested, String versionId) {
    Set<String> whitelist = admin.volumeTypeWhitelist(versionId);
    if (!whitelist.isEmpty()) {
      List<VolumeTypeEntity> allowed = allowedFor(versionId);
      if (allowed.isEmpty()) {
        throw CofferException.badRequest(
            "No valid volume types could be found for datastore version " + versionId + ".");
      }
      if (requested == null) {
        throw CofferException.badRequest(
            "Only specific volume types are allowed for a datastore version "
                + versionId
                + ". You must specify a valid volume type.");
      }
      return allowed.stream()
          .filter(t -> t.name.equals(requested) || t.id.equals(requested))
          .findFirst()
          .map(t -> t.name)
          .orElseThrow(
              () ->
                  CofferException.notFound(
                      "The volume type "
                          + requested
                          + " is not valid for datastore version "
                          + versionId
                          + "."));
    }
    if (requested == null) {
      return null;
    }
    return types
        .offered(requested)
        .map(t -> t.name)
        .orElseThrow(
            () ->
                CofferException.badRequest(
                    "Volume type "
                        + requested
                        + " cannot be found: the volume types offered are "
                        + String.join(", ", types.offered().stream().map(t -> t.name).toList())
                        + "."));
  }
}
