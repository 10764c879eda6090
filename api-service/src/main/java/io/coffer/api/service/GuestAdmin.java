package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.v1.model.NewDatabase;
import io.coffer.api.v1.model.NewUser;
import io.coffer.model.guest.CreateDatabaseArgs;
import io.coffer.model.guest.CreateUserArgs;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.DeleteDatabaseArgs;
import io.coffer.model.guest.DeleteUserArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.ListArgs;
import io.coffer.model.guest.UserModel;
import io.coffer.model.guest.UserRefArgs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Databases of an instance, done by its guest agent. Every operation first requires the database
 * service to be up (422 {@code Instance <id> is not ready.}), as Trove's {@code load_and_verify}.
 */
@ApplicationScoped
public class GuestAdmin {

  /** One page of names from the guest. */
  public record NamePage<T>(List<T> items, String nextMarker) {}

  private final InstanceLoader loader;
  private final GuestApi guests;
  private final Resolver resolve;

  private final DbaasEvents events;

  GuestAdmin(InstanceLoader loader, GuestApi guests, Resolver resolve, DbaasEvents events) {
    this.events = events;
    this.loader = loader;
    this.guests = guests;
    this.resolve = resolve;
  }

  /** The instance, which must have its database service up; returns its datastore manager. */
  @Transactional
  public String ready(String projectId, String id) {
    InstanceSnapshot s = loader.one(projectId, id);
    if (!s.effectiveService().isResponsive() || s.task().isError()) {
      throw CofferException.unprocessable("Instance " + id + " is not ready.");
    }
    return s.version() == null ? null : s.version().manager;
  }

  /** The guest API, for the user operations. */
  GuestApi guests() {
    return guests;
  }

  /** The page size for a {@code limit}. */
  public int pageSize(Integer limit) {
    int max = resolve.config().pageSize();
    return limit == null || limit <= 0 ? max : Math.min(limit, max);
  }

  /** One page of databases (system databases hidden). */
  public NamePage<String> databases(
      Caller caller, String projectId, String id, Integer limit, String marker) {
    String manager = ready(projectId, id);
    JsonNode page =
        guests.call(
            caller.context(),
            id,
            GuestMethods.LIST_DATABASES,
            new ListArgs(pageSize(limit), marker, false));
    List<String> names = new ArrayList<>();
    for (JsonNode d : page.path(0)) {
      String name = d.path("_name").asText();
      if (!Names.reservedDatabase(manager, name)) {
        names.add(name);
      }
    }
    JsonNode next = page.path(1);
    return new NamePage<>(names, next.isNull() || next.isMissingNode() ? null : next.asText());
  }

  private List<String> allDatabases(Caller caller, String id) {
    List<String> all = new ArrayList<>();
    String marker = null;
    do {
      JsonNode page =
          guests.call(
              caller.context(), id, GuestMethods.LIST_DATABASES, new ListArgs(1000, marker, false));
      page.path(0).forEach(d -> all.add(d.path("_name").asText()));
      JsonNode next = page.path(1);
      marker = next.isNull() || next.isMissingNode() ? null : next.asText();
    } while (marker != null);
    return all;
  }

  /** Creates databases; 400 when one exists already. */
  public void createDatabases(Caller caller, String projectId, String id, List<NewDatabase> dbs) {
    events.start(
        "database_create",
        Map.of(
            "instance_id",
            id,
            "dbname",
            String.join(",", dbs.stream().map(NewDatabase::name).toList())));
    String manager = ready(projectId, id);
    if (dbs.isEmpty()) {
      throw CofferException.badRequest("No databases were given.");
    }
    dbs.forEach(d -> Names.checkDatabase(manager, d.name()));
    List<String> existing = allDatabases(caller, id);
    for (NewDatabase d : dbs) {
      if (existing.contains(d.name())) {
        throw CofferException.badRequest(
            "A database with the name \"" + d.name() + "\" already exists.");
      }
    }
    List<DatabaseModel> models = new ArrayList<>();
    dbs.forEach(d -> models.add(new DatabaseModel(d.name(), d.characterSet(), d.collate())));
    guests.cast(
        events.toGuest(caller.context()),
        id,
        GuestMethods.CREATE_DATABASE,
        new CreateDatabaseArgs(models));
  }

  /** Drops a database; 400 for system databases, 404 when it does not exist. */
  public void deleteDatabase(Caller caller, String projectId, String id, String name) {
    events.start("database_delete", Map.of("instance_id", id, "dbname", name));
    String manager = ready(projectId, id);
    if (Names.reservedDatabase(manager, name)) {
      throw CofferException.badRequest("'" + name + "' is a reserved database name.");
    }
    if (!allDatabases(caller, id).contains(name)) {
      throw CofferException.notFound("Database " + name + " cannot be found on the instance.");
    }
    guests.cast(
        events.toGuest(caller.context()),
        id,
        GuestMethods.DELETE_DATABASE,
        new DeleteDatabaseArgs(DatabaseModel.named(name)));
  }

  /** A user, or {@code null}. */
  UserModel user(Caller caller, String id, String name, String host) {
    return guests.call(caller.context(), id, GuestMethods.GET_USER, new UserRefArgs(name, host));
  }

  /** Creates users; 400 when one exists already. */
  public void createUsers(Caller caller, String projectId, String id, List<NewUser> users) {
    events.start(
        "user_create",
        Map.of(
            "instance_id",
            id,
            "username",
            String.join(",", users.stream().map(NewUser::name).toList())));
    String manager = ready(projectId, id);
    if (users.isEmpty()) {
      throw CofferException.badRequest("No users were given.");
    }
    for (NewUser u : users) {
      Names.checkUser(manager, u.name());
      u.databases().forEach(d -> Names.checkDatabase(manager, d));
      if (user(caller, id, u.name(), u.host()) != null) {
        throw CofferException.badRequest("User " + u.name() + " already exists.");
      }
    }
    List<UserModel> models = new ArrayList<>();
    for (NewUser u : users) {
      models.add(
          new UserModel(
              u.name(),
              u.host(),
              u.password(),
              u.databases().stream().map(DatabaseModel::named).toList(),
              false));
    }
    guests.cast(
        events.toGuest(caller.context()), id, GuestMethods.CREATE_USER, new CreateUserArgs(models));
  }

  /** Drops a user; 400 for reserved users, 404 when missing. */
  public void deleteUser(Caller caller, String projectId, String id, UserRef ref) {
    events.start("user_delete", Map.of("instance_id", id, "username", ref.name()));
    String manager = ready(projectId, id);
    if (Names.reservedUser(manager, ref.name())) {
      throw CofferException.badRequest("'" + ref.name() + "' is a reserved user name.");
    }
    UserModel u = user(caller, id, ref.name(), ref.host());
    if (u == null) {
      throw UserRef.notFound(ref);
    }
    guests.cast(
        events.toGuest(caller.context()), id, GuestMethods.DELETE_USER, new DeleteUserArgs(u));
  }

  /** The API notifications of this instance's calls. */
  DbaasEvents events() {
    return events;
  }
}
