package io.coffer.api.v1.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.fault.CofferException;
import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.NicInfo;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST instances}: the body {@code {"instance": {…}}} read and checked against Trove's
 * create schema.
 *
 * @param name instance name
 * @param flavorRef flavor id (an href is reduced to its id)
 * @param volumeSize volume size in GB, or null when not given
 * @param volumeType volume type
 * @param datastoreType datastore name or id
 * @param datastoreVersion datastore version name or id
 * @param databases initial databases
 * @param users initial users
 * @param backupRef backup to restore from
 * @param replicaOf source instance of a replica
 * @param replicaCount replicas to create
 * @param availabilityZone availability zone
 * @param nics network interfaces
 * @param locality affinity or anti-affinity
 * @param configurationId configuration group to attach
 * @param access network access
 * @param modules modules asked for (unsupported)
 * @param restoreFrom point-in-time recovery (Coffer, {@code restorePoint.instanceRef}): the
 *     instance, deleted or not, whose backups and write-ahead log archive are restored
 * @param restoreTime point-in-time recovery ({@code restorePoint.restoreTime}): the time to recover
 *     to, or null for the latest restorable one
 * @param autoFailover automatic failover of this instance as a source (Coffer, {@code
 *     auto_failover}), or null for the operator's default
 */
public record CreateInstanceRequest(
    String name,
    String flavorRef,
    Integer volumeSize,
    String volumeType,
    String datastoreType,
    String datastoreVersion,
    List<NewDatabase> databases,
    List<NewUser> users,
    String backupRef,
    String replicaOf,
    Integer replicaCount,
    String availabilityZone,
    List<NicInfo> nics,
    String locality,
    String configurationId,
    AccessInfo access,
    int modules,
    String restoreFrom,
    Instant restoreTime,
    Boolean autoFailover) {

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern CIDR = Pattern.compile(IPV4.pattern() + "/(3[0-2]|[12]?\\d)");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

  /** Reads and checks a create body. */
  public static CreateInstanceRequest parse(JsonNode json) {
    Body b = Body.root(json, "instance");
    String name = b.requiredString("name", 255);
    String flavor = b.optionalRef("flavorRef");
    Integer size = null;
    String volumeType = null;
    Body volume = b.optionalObject("volume");
    if (volume != null) {
      size = volume.requiredInt("size", 1, Integer.MAX_VALUE);
      volumeType = volume.optionalString("type", 255);
    }
    String dsType = null;
    String dsVersion = null;
    Body ds = b.optionalObject("datastore");
    if (ds != null) {
      dsType = ds.optionalString("type", 255);
      dsVersion = ds.optionalString("version", 255);
    }
    String backup = null;
    String restoreFrom = null;
    Instant restoreTime = null;
    Body restore = b.optionalObject("restorePoint");
    if (restore != null) {
      // Trove's backupRef; Coffer's point-in-time recovery adds instanceRef and restoreTime
      if (restore.hasValue("instanceRef")) {
        restoreFrom = uuid(restore, "instanceRef");
        if (restore.hasValue("backupRef")) {
          throw CofferException.badRequest(
              "restorePoint takes a backupRef or an instanceRef, not both.");
        }
      } else {
        backup = uuid(restore, "backupRef");
      }
      if (restore.hasValue("restoreTime")) {
        restoreTime = time(restore.requiredString("restoreTime", 64));
      }
    }
    String replicaOf = b.hasValue("replica_of") ? uuid(b, "replica_of") : null;
    Integer count = b.optionalInt("replica_count", 1, 3);
    String locality = b.optionalString("locality", 32);
    if (locality != null && !locality.equals("affinity") && !locality.equals("anti-affinity")) {
      throw CofferException.validation(
          "instance['locality'] '" + locality + "' is not one of ['affinity', 'anti-affinity']");
    }
    String configuration = b.optionalRef("configuration");
    return new CreateInstanceRequest(
        name,
        flavor,
        size,
        volumeType,
        dsType,
        dsVersion,
        NewDatabase.list(b, "databases"),
        NewUser.list(b, "users"),
        backup,
        replicaOf,
        count,
        b.optionalString("availability_zone", 255),
        nics(b),
        locality,
        configuration,
        accessOf(b),
        b.objects("modules", 100).size(),
        restoreFrom,
        restoreTime,
        b.optionalBoolean("auto_failover"));
  }

  /**
   * A time to recover to: ISO-8601 with an offset or {@code Z}, or without one (then UTC, as
   * Trove's own times are written).
   */
  static Instant time(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw CofferException.badRequest(
            "restoreTime '" + value + "' is not an ISO-8601 time such as 2026-12-07T14:03:00Z.");
      }
    }
  }

  private static String uuid(Body b, String key) {
    String v = b.requiredString(key, 64);
    if (!UUID.matcher(v).matches()) {
      throw CofferException.validation(key + " '" + v + "' is not a 'uuid'");
    }
    return v;
  }

  private static List<NicInfo> nics(Body b) {
    List<NicInfo> out = new ArrayList<>();
    for (Body nic : b.objects("nics", 1)) {
      nic.only("net-id", "network_id", "subnet_id", "ip_address");
      String net = nic.optionalString("net-id", 64);
      if (net == null) {
        net = nic.optionalString("network_id", 64);
      }
      String ip = nic.optionalString("ip_address", 15);
      if (ip != null && !IPV4.matcher(ip).matches()) {
        throw CofferException.validation(
            "instance['nics'][0]['ip_address'] '" + ip + "' is not a 'ipv4'");
      }
      out.add(new NicInfo(net, nic.optionalString("subnet_id", 64), ip));
    }
    return out;
  }

  private static AccessInfo accessOf(Body b) {
    Body a = b.optionalObject("access");
    return a == null ? null : access(a);
  }

  /** Reads an access object: {@code {"is_public": bool, "allowed_cidrs": [IPv4 CIDR…]}}. */
  public static AccessInfo access(Body a) {
    a.only("is_public", "allowed_cidrs");
    List<String> cidrs = a.strings("allowed_cidrs", 64, 18);
    for (String c : cidrs) {
      if (!CIDR.matcher(c).matches()) {
        throw CofferException.validation(
            "instance['access']['allowed_cidrs'] '" + c + "' is not a 'cidr'");
      }
    }
    Boolean isPublic = a.optionalBoolean("is_public");
    return new AccessInfo(isPublic != null && isPublic, cidrs);
  }
}
