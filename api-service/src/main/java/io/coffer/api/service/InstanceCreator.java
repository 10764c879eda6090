package io.coffer.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.api.auth.Caller;
import io.coffer.api.config.ApiConfig;
import io.coffer.api.fault.CofferException;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.api.v1.model.CreateInstanceRequest;
import io.coffer.api.v1.model.NewDatabase;
import io.coffer.api.v1.model.NewUser;
import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.FlavorInfo;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.BackupState;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.model.taskmanager.CreateInstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.FlavorEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.RootEnabledHistoryEntity;
import io.coffer.persistence.entity.ServiceStatusEntity;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.RootEnabledHistoryRepository;
import io.coffer.persistence.repository.ServiceStatusRepository;
import io.coffer.persistence.security.InstanceKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST instances}: checks the request as Trove does, charges the quota, records the
 * instance(s) in BUILD and queues {@code create_instance} for the taskmanager — all in one
 * transaction.
 */
@ApplicationScoped
public class InstanceCreator {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Resolver resolve;
  private final QuotaService quotas;
  private final InstanceRepository instances;
  private final ServiceStatusRepository statuses;
  private final TaskOutbox tasks;
  private final InstanceKeys keys;
  private final RootEnabledHistoryRepository rootHistory;
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  private final DbaasEvents events;
  private final RestoreWindows windows;

  @SuppressWarnings("checkstyle:ParameterNumber")
  InstanceCreator(
      RestoreWindows windows,
      Resolver resolve,
      QuotaService quotas,
      InstanceRepository instances,
      ServiceStatusRepository statuses,
      TaskOutbox tasks,
      InstanceKeys keys,
      RootEnabledHistoryRepository rootHistory,
      DbaasEvents events) {
    this.windows = windows;
    this.events = events;
    this.resolve = resolve;
    this.quotas = quotas;
    this.instances = instances;
    this.statuses = statuses;
    this.tasks = tasks;
    this.keys = keys;
    this.rootHistory = rootHistory;
  }

  /**
   * What a create made: the instance the response shows and, with root enabled at create (Trove's
   * {@code root_on_create}), root's generated password, shown in that response only.
   */
  public record Created(InstanceEntity instance, Secret rootPassword) {}

  /** What a create refers to, resolved and checked. */
  private record Plan(
      DatastoreVersionEntity version,
      FlavorEntity flavor,
      int volumeSize,
      String volumeType,
      InstanceEntity source,
      BackupEntity backup,
      Map<String, Object> overrides,
      AccessInfo access,
      RestoreWindows.Recovery recovery) {}

  /** Creates the instance(s); returns the one the response shows (the last one created). */
  @Transactional
  public Created create(Caller caller, String projectId, CreateInstanceRequest req) {
    events.start("instance_create", traits(req));
    Plan plan = plan(projectId, req);
    int count = req.replicaCount() == null ? 1 : req.replicaCount();
    quotas.charge(
        projectId,
        Map.of(
            "instances", count,
            "volumes", plan.volumeSize() * count,
            "ram", plan.flavor().ram * count));
    Instant now = resolve.clock().instant();
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    InstanceEntity last = null;
    for (int n = 1; n <= count; n++) {
      String name = count > 1 ? req.name() + "-" + n : req.name();
      last = persist(projectId, name, plan, req, now);
      last.userId = caller.userId();
      if (n == 1) {
        events.handOff(last.id, InstanceTask.BUILDING);
      }
      ids.add(last.id);
      names.add(name);
    }
    // a replica has its source's accounts, root included
    Secret root =
        plan.source() == null && rootOnCreate(plan.version().manager) ? newPassword() : null;
    if (root != null) {
      RootEnabledHistoryEntity h = new RootEnabledHistoryEntity();
      h.id = last.id;
      h.user = caller.userId();
      h.created = now;
      rootHistory.persist(h);
    }
    tasks.cast(
        TaskManagerMethods.CREATE_INSTANCE,
        caller.context(),
        args(ids, names, plan, req, root == null ? null : List.of(root)));
    return new Created(last, root);
  }

  /** Trove's dbaas.instance_create traits of a request: names of users, never passwords. */
  private Map<String, Object> traits(CreateInstanceRequest req) {
    Map<String, Object> t = new java.util.LinkedHashMap<>();
    t.put("name", req.name());
    t.put("flavor_id", req.flavorRef());
    t.put("datastore", req.datastoreType());
    t.put("datastore_version", req.datastoreVersion());
    t.put("image_id", null);
    t.put("availability_zone", req.availabilityZone());
    t.put("region_name", resolve.config().region());
    if (req.databases() != null) {
      t.put("databases", req.databases().stream().map(d -> d.name()).toList());
    }
    if (req.users() != null) {
      t.put("users", req.users().stream().map(u -> u.name()).toList());
    }
    t.put("volume_size", req.volumeSize());
    if (req.backupRef() != null) {
      t.put("backup_id", req.backupRef());
    }
    if (req.restoreFrom() != null || req.restoreTime() != null) {
      t.put("restore_instance_id", req.restoreFrom());
      t.put("restore_time", req.restoreTime() == null ? null : req.restoreTime().toString());
    }
    if (req.replicaOf() != null) {
      t.put("replica_of", req.replicaOf());
      t.put("replica_count", req.replicaCount() == null ? 1 : req.replicaCount());
    }
    return t;
  }

  private boolean rootOnCreate(String manager) {
    return resolve.config().rootOnCreate().map(m -> m.contains(manager)).orElse(false);
  }

  private Secret newPassword() {
    byte[] b = new byte[18];
    random.nextBytes(b);
    return new Secret(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  private Plan plan(String projectId, CreateInstanceRequest req) {
    ApiConfig config = resolve.config();
    if (req.modules() > 0) {
      throw CofferException.notImplemented("Modules are not supported by Coffer.");
    }
    if (req.replicaOf() != null) {
      return replicaPlan(projectId, req);
    }
    if (req.replicaCount() != null && req.replicaCount() > 1) {
      throw CofferException.badRequest("replica_count is only valid when creating replicas.");
    }
    // a recovery of an instance is of its datastore version unless another is asked for
    DatastoreVersionEntity version =
        req.restoreFrom() != null && req.datastoreType() == null
            ? resolve.datastores().versionById(windows.versionOf(projectId, req.restoreFrom()))
            : resolve
                .datastores()
                .resolveForCreate(
                    req.datastoreType(),
                    req.datastoreVersion(),
                    config.defaultDatastore().orElse(null));
    if (req.flavorRef() == null) {
      throw CofferException.validation("instance 'flavorRef' is a required property");
    }
    FlavorEntity flavor = resolve.flavors().requested(req.flavorRef());
    if (req.volumeSize() == null) {
      throw CofferException.badRequest("Volume size was not specified.");
    }
    if (req.volumeSize() > config.maxVolumeSize()) {
      throw CofferException.overLimit(
          "Volume 'size' cannot exceed maximum of "
              + config.maxVolumeSize()
              + " GB, "
              + req.volumeSize()
              + " cannot be accepted.");
    }
    String manager = version.manager;
    if (!io.coffer.model.config.DatastoreDefaults.supported(manager)) {
      // a version registered before this check, or written into the database by hand
      throw CofferException.badRequest(
          io.coffer.model.config.DatastoreDefaults.unsupportedMessage(manager));
    }
    req.databases().forEach(d -> Names.checkDatabase(manager, d.name()));
    req.users().forEach(u -> Names.checkUser(manager, u.name()));
    BackupEntity backup = req.backupRef() == null ? null : restorable(projectId, req, version);
    RestoreWindows.Recovery recovery = null;
    if (req.restoreFrom() != null || req.restoreTime() != null) {
      recovery = windows.resolve(projectId, req.restoreFrom(), backup, req.restoreTime());
      if (backup == null) {
        backup = checkRestorable(recovery.base(), req, version);
      }
    }
    Map<String, Object> overrides =
        req.configurationId() == null
            ? Map.of()
            : resolve.configurations().overridesFor(projectId, req.configurationId(), version);
    String volumeType = resolve.volumeTypes().forCreate(req.volumeType(), version.id);
    return new Plan(
        version,
        flavor,
        req.volumeSize(),
        volumeType,
        null,
        backup,
        overrides,
        req.access(),
        recovery);
  }

  private BackupEntity restorable(
      String projectId, CreateInstanceRequest req, DatastoreVersionEntity v) {
    BackupEntity b =
        resolve
            .backups()
            .find("id = ?1 and tenantId = ?2 and deleted = false", req.backupRef(), projectId)
            .firstResultOptional()
            .orElseThrow(
                () -> CofferException.notFound("Backup " + req.backupRef() + " cannot be found."));
    return checkRestorable(b, req, v);
  }

  /** {@code b} if it can be restored into the instance asked for, else the fault. */
  private BackupEntity checkRestorable(
      BackupEntity b, CreateInstanceRequest req, DatastoreVersionEntity v) {
    BackupState state = BackupState.fromName(b.state).orElse(BackupState.FAILED);
    if (!BackupState.RESTORABLE.contains(state)) {
      throw CofferException.conflict(
          "Backup " + b.id + " is not complete (state " + b.state + ").");
    }
    if (b.datastoreVersionId != null) {
      DatastoreVersionEntity bv = resolve.datastores().versionById(b.datastoreVersionId);
      if (!bv.datastoreId.equals(v.datastoreId)) {
        throw CofferException.badRequest(
            "The datastore of backup " + b.id + " does not match the requested datastore.");
      }
    }
    if (b.size != null && b.size > req.volumeSize()) {
      throw CofferException.forbidden(
          "Backup is too large for given flavor or volume. Backup size: "
              + b.size
              + " GBs. Available size: "
              + req.volumeSize()
              + " GBs.");
    }
    return b;
  }

  private Plan replicaPlan(String projectId, CreateInstanceRequest req) {
    if (req.flavorRef() != null) {
      throw CofferException.badRequest("Cannot specify flavor when creating replicas.");
    }
    if (req.datastoreType() != null || req.datastoreVersion() != null) {
      throw CofferException.badRequest("Cannot specify datastore when creating replicas.");
    }
    if (req.volumeSize() != null) {
      throw CofferException.badRequest("Cannot specify volume when creating replicas.");
    }
    if (req.locality() != null) {
      throw CofferException.badRequest("Cannot specify locality when creating replicas.");
    }
    if (!req.databases().isEmpty() || !req.users().isEmpty()) {
      throw CofferException.badRequest("Cannot create a replica with users or databases.");
    }
    if (req.nics().stream().anyMatch(n -> n.ipAddress() != null)) {
      throw CofferException.badRequest("Cannot specify an IP address when creating replicas.");
    }
    if (req.backupRef() != null || req.restoreFrom() != null) {
      throw CofferException.badRequest("Cannot restore a backup into a replica.");
    }
    InstanceSnapshot source = resolve.loader().one(projectId, req.replicaOf());
    if (source.instance().slaveOfId != null) {
      throw CofferException.forbidden(
          "Cannot create a replica of a replica " + source.instance().id + ".");
    }
    String blocking = source.blockingStatus();
    if (blocking != null) {
      throw Actions.notAvailable(source.instance().id, blocking);
    }
    FlavorEntity flavor = resolve.flavors().requested(source.instance().flavorId);
    Map<String, Object> overrides =
        source.instance().configurationId == null
            ? Map.of()
            : resolve
                .configurations()
                .overridesFor(projectId, source.instance().configurationId, source.version());
    return new Plan(
        source.version(),
        flavor,
        source.instance().volumeSize == null ? 1 : source.instance().volumeSize,
        source.instance().volumeType,
        source.instance(),
        null,
        overrides,
        req.access(),
        null);
  }

  private InstanceEntity persist(
      String projectId, String name, Plan plan, CreateInstanceRequest req, Instant now) {
    InstanceEntity i = new InstanceEntity();
    i.id = UUID.randomUUID().toString();
    i.created = now;
    i.name = name;
    i.tenantId = projectId;
    i.flavorId = plan.flavor().id;
    i.volumeSize = plan.volumeSize();
    i.volumeType = plan.volumeType();
    i.datastoreVersionId = plan.version().id;
    i.configurationId =
        plan.source() == null ? req.configurationId() : plan.source().configurationId;
    i.slaveOfId = plan.source() == null ? null : plan.source().id;
    i.autoFailover = req.autoFailover();
    i.serverStatus = "BUILD";
    i.regionId = resolve.config().region();
    i.availabilityZone = req.availabilityZone();
    i.locality = req.locality();
    i.access = accessJson(plan.access());
    // the instance's own message key, wrapped by the master key
    i.encryptedKey = keys.newStoredKey(i.id);
    i.setTask(InstanceTask.BUILDING, now, now.plus(resolve.config().buildTimeout()));
    instances.persist(i);
    ServiceStatusEntity s = new ServiceStatusEntity();
    s.id = UUID.randomUUID().toString();
    s.instanceId = i.id;
    s.setStatus(ServiceStatus.NEW, now);
    statuses.persist(s);
    return i;
  }

  private static String accessJson(AccessInfo access) {
    if (access == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(
          Map.of(
              "is_public",
              Boolean.TRUE.equals(access.isPublic()),
              "allowed_cidrs",
              access.allowedCidrs() == null ? List.of() : access.allowedCidrs()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CreateInstanceArgs args(
      List<String> ids,
      List<String> names,
      Plan plan,
      CreateInstanceRequest req,
      List<Secret> rootPassword) {
    FlavorEntity f = plan.flavor();
    List<DatabaseModel> dbs = new ArrayList<>();
    for (NewDatabase d : req.databases()) {
      dbs.add(new DatabaseModel(d.name(), d.characterSet(), d.collate()));
    }
    List<UserModel> users = new ArrayList<>();
    for (NewUser u : req.users()) {
      users.add(
          new UserModel(
              u.name(),
              u.host(),
              u.password(),
              u.databases().stream().map(DatabaseModel::named).toList(),
              false));
    }
    return new CreateInstanceArgs(
        ids,
        names,
        new FlavorInfo(f.id, f.name, f.ram, f.vcpus, f.disk, f.ephemeral, f.swap),
        plan.version().imageId,
        dbs,
        users,
        plan.version().manager,
        plan.version().packages,
        plan.volumeSize(),
        plan.backup() == null ? null : plan.backup().id,
        req.availabilityZone(),
        rootPassword,
        req.nics(),
        plan.overrides(),
        plan.source() == null ? null : plan.source().id,
        null,
        plan.volumeType(),
        null,
        req.locality(),
        plan.access(),
        plan.version().version,
        plan.recovery() == null ? null : plan.recovery().instanceId(),
        plan.recovery() == null || plan.recovery().stopAt() == null
            ? null
            : plan.recovery().stopAt().toString());
  }
}
