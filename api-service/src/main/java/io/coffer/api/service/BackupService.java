package io.coffer.api.service;

import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.api.v1.model.Body;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.status.BackupState;
import io.coffer.model.taskmanager.CreateBackupArgs;
import io.coffer.model.taskmanager.DeleteBackupArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.repository.BackupRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Backups: creation (NEW, then the guest takes it), listing, deletion of a backup and its children.
 */
@ApplicationScoped
public class BackupService {

  /** The backup storages' container names (see {@code BackupStorage.CONTAINER}). */
  private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");

  private final BackupRepository backups;
  private final InstanceLoader loader;
  private final QuotaService quotas;
  private final TaskOutbox tasks;
  private final Resolver resolve;

  private final DbaasEvents events;

  BackupService(
      BackupRepository backups,
      InstanceLoader loader,
      QuotaService quotas,
      TaskOutbox tasks,
      Resolver resolve,
      DbaasEvents events) {
    this.events = events;
    this.backups = backups;
    this.loader = loader;
    this.quotas = quotas;
    this.tasks = tasks;
    this.resolve = resolve;
  }

  /** A live backup of the project ({@code null}: any project), or 404. */
  public BackupEntity backup(String projectId, String id) {
    return backups
        .live(id)
        .filter(b -> projectId == null || projectId.equals(b.tenantId))
        .orElseThrow(() -> CofferException.resourceNotFound(id));
  }

  /** Creates a backup record and queues it for the taskmanager. */
  @Transactional
  public BackupEntity create(Caller caller, String projectId, Body b) {
    String name = b.requiredString("name", 255);
    String description = b.optionalString("description", 512);
    String requested = b.optionalString("swift_container", 255);
    String instanceId = b.optionalString("instance", 64);
    Map<String, Object> traits = new java.util.LinkedHashMap<>();
    traits.put("name", name);
    traits.put("instance_id", instanceId);
    traits.put("description", description);
    traits.put("parent_id", b.optionalString("parent_id", 64));
    events.start("backup_create", traits);
    checkContainer(requested);
    if (b.hasValue("restore_from")) {
      BackupEntity imported =
          restoreFrom(projectId, name, description, b.requiredObject("restore_from"));
      events.endTrait("backup_id", imported.id);
      return imported;
    }
    if (instanceId == null) {
      throw CofferException.badRequest("A backup needs an instance (or restore_from).");
    }
    InstanceSnapshot s = loader.one(projectId, instanceId);
    if (s.instance().clusterId != null) {
      throw CofferException.notImplemented("Backups of cluster instances are not supported.");
    }
    String blocking = s.blockingStatus();
    if (blocking != null) {
      throw Actions.notAvailable(instanceId, blocking);
    }
    BackupEntity parent = parent(projectId, instanceId, b);
    String container = requested != null ? requested : strategyContainer(projectId, instanceId);
    quotas.charge(projectId, Map.of("backups", 1));
    Instant now = resolve.clock().instant();
    BackupEntity backup = new BackupEntity();
    backup.id = UUID.randomUUID().toString();
    backup.name = name;
    backup.description = description;
    backup.tenantId = projectId;
    backup.instanceId = instanceId;
    backup.state = BackupState.NEW.name();
    backup.backupType = parent == null ? "full" : "incremental";
    backup.parentId = parent == null ? null : parent.id;
    backup.datastoreVersionId = s.instance().datastoreVersionId;
    backup.container = container;
    backup.created = now;
    backup.updated = now;
    backups.persist(backup);
    events.handOff(backup.id, "backup_create", Map.of("backup_id", backup.id));
    BackupInfo info =
        new BackupInfo(
            backup.id,
            name,
            description,
            instanceId,
            backup.backupType,
            null,
            parent == null
                ? null
                : new BackupInfo.ParentBackup(parent.id, parent.location, parent.checksum),
            s.datastore() == null ? null : s.datastore().name,
            s.version() == null ? null : s.version().name,
            container);
    tasks.cast(
        TaskManagerMethods.CREATE_BACKUP, caller.context(), new CreateBackupArgs(info, instanceId));
    return backup;
  }

  /**
   * A container name as the backup storages take it (Swift's container, the filesystem storage's
   * subdirectory); 400 otherwise.
   */
  public static void checkContainer(String container) {
    if (container != null && !CONTAINER.matcher(container).matches()) {
      throw CofferException.badRequest(
          "The container name "
              + container
              + " is not valid: it takes 1 to 200 letters, digits, '_', '.' and '-', and starts"
              + " with a letter or digit.");
    }
  }

  /** The container of the instance's backup strategy, else of the project's, else none. */
  private String strategyContainer(String projectId, String instanceId) {
    return backups
        .getEntityManager()
        .createQuery(
            "select s.swiftContainer from BackupStrategyEntity s where s.tenantId = ?1"
                + " and s.instanceId in (?2, '') order by s.instanceId desc",
            String.class)
        .setParameter(1, projectId)
        .setParameter(2, instanceId)
        .setMaxResults(1)
        .getResultStream()
        .findFirst()
        .orElse(null);
  }

  private BackupEntity parent(String projectId, String instanceId, Body b) {
    String parentId = b.optionalString("parent_id", 64);
    Boolean incremental = b.optionalBoolean("incremental");
    if (parentId == null && Boolean.TRUE.equals(incremental)) {
      return backups
          .find(
              "instanceId = ?1 and tenantId = ?2 and deleted = false and state = ?3 order by created desc",
              instanceId,
              projectId,
              BackupState.COMPLETED.name())
          .firstResultOptional()
          .orElseThrow(
              () ->
                  CofferException.badRequest(
                      "No completed backup of "
                          + instanceId
                          + " to base an incremental backup on."));
    }
    if (parentId == null) {
      return null;
    }
    BackupEntity parent = backup(projectId, parentId);
    if (!instanceId.equals(parent.instanceId)) {
      throw CofferException.badRequest(
          "Backup " + parentId + " is not a backup of instance " + instanceId + ".");
    }
    if (!BackupState.COMPLETED.name().equals(parent.state)) {
      throw CofferException.conflict("Backup " + parentId + " is not complete.");
    }
    return parent;
  }

  /**
   * Registers stored backup data as a backup of the project ({@code restore_from}). Coffer's backup
   * storage belongs to the service, not to the project, so the only data a project may register is
   * data of its own backups; any other location — another project's object, or one that does not
   * exist — gets the same answer, which tells nothing about it.
   */
  private BackupEntity restoreFrom(String projectId, String name, String description, Body r) {
    String location = r.requiredString("remote_location", 1024);
    String versionId = r.requiredString("local_datastore_version_id", 64);
    resolve.datastores().versionById(versionId);
    double size = r.requiredNumber("size", 0);
    BackupEntity own =
        backups
            .find(
                "location = ?1 and tenantId = ?2 and deleted = false and state in ?3",
                location,
                projectId,
                List.of(BackupState.COMPLETED.name(), BackupState.RESTORED.name()))
            .firstResultOptional()
            .orElseThrow(
                () ->
                    CofferException.badRequest(
                        "The backup location "
                            + location
                            + " cannot be registered: only the data of this project's own"
                            + " completed backups can."));
    String checksum = own.checksum;
    quotas.charge(projectId, Map.of("backups", 1));
    Instant now = resolve.clock().instant();
    BackupEntity backup = new BackupEntity();
    backup.id = UUID.randomUUID().toString();
    backup.name = name;
    backup.description = description;
    backup.tenantId = projectId;
    backup.state = BackupState.RESTORED.name();
    backup.backupType = "full";
    backup.location = location;
    backup.checksum = checksum;
    backup.size = size;
    backup.datastoreVersionId = versionId;
    backup.created = now;
    backup.updated = now;
    backups.persist(backup);
    return backup;
  }

  /** Deletes a backup and, first, the incremental backups based on it. */
  @Transactional
  public void delete(Caller caller, String projectId, String id) {
    BackupEntity b = backup(projectId, id);
    events.start("backup_delete", Map.of("backup_id", id));
    events.handOff(id, "backup_delete", Map.of());
    deleteTree(caller, b);
  }

  private void deleteTree(Caller caller, BackupEntity b) {
    if (BackupState.fromName(b.state).map(BackupState::isRunning).orElse(false)) {
      throw CofferException.unprocessable(
          "Backup " + b.id + " cannot be deleted because it is running.");
    }
    for (BackupEntity child : backups.childrenOf(b.id)) {
      deleteTree(caller, child);
    }
    quotas.charge(b.tenantId, Map.of("backups", -1));
    tasks.cast(TaskManagerMethods.DELETE_BACKUP, caller.context(), new DeleteBackupArgs(b.id));
  }

  /**
   * A page of backups, newest update first, paged by offset (Trove's marker is an integer offset).
   */
  @Transactional
  public List<BackupEntity> list(
      String projectId, String instanceId, String versionIdsOf, int offset, int limit) {
    StringBuilder q = new StringBuilder("deleted = false");
    List<Object> params = new ArrayList<>();
    if (projectId != null) {
      params.add(projectId);
      q.append(" and tenantId = ?").append(params.size());
    }
    if (instanceId != null) {
      params.add(instanceId);
      q.append(" and instanceId = ?").append(params.size());
    }
    if (versionIdsOf != null) {
      params.add(versionIdsOf);
      q.append(
              " and datastoreVersionId in (select v.id from DatastoreVersionEntity v where v.datastoreId = ?")
          .append(params.size())
          .append(")");
    }
    q.append(" order by updated desc, id");
    return backups.find(q.toString(), params.toArray()).range(offset, offset + limit - 1).list();
  }
}
