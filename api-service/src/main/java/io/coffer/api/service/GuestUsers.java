package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.api.v1.model.Body;
import io.coffer.model.guest.ChangePasswordsArgs;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.GrantAccessArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.ListArgs;
import io.coffer.model.guest.RevokeAccessArgs;
import io.coffer.model.guest.UpdateAttributesArgs;
import io.coffer.model.guest.UserAttributes;
import io.coffer.model.guest.UserModel;
import io.coffer.model.guest.UserPassword;
import io.coffer.model.guest.UserRefArgs;
import io.coffer.model.secret.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Users of an instance and their access to databases, done by its guest agent. */
@ApplicationScoped
public class GuestUsers {

  private final GuestAdmin admin;
  private final GuestApi guests;

  GuestUsers(GuestAdmin admin) {
    this.admin = admin;
    this.guests = admin.guests();
  }

  /** One page of users (reserved users hidden). */
  public GuestAdmin.NamePage<UserModel> list(
      Caller caller, String projectId, String id, Integer limit, String marker) {
    String manager = admin.ready(projectId, id);
    JsonNode page =
        guests.call(
            caller.context(),
            id,
            GuestMethods.LIST_USERS,
            new ListArgs(admin.pageSize(limit), marker, false));
    List<UserModel> users = new ArrayList<>();
    for (JsonNode u : page.path(0)) {
      String name = u.path("_name").asText();
      if (Names.reservedUser(manager, name)) {
        continue;
      }
      List<DatabaseModel> dbs = new ArrayList<>();
      u.path("_databases").forEach(d -> dbs.add(DatabaseModel.named(d.path("_name").asText())));
      users.add(new UserModel(name, u.path("_host").asText("%"), null, dbs, false));
    }
    JsonNode next = page.path(1);
    return new GuestAdmin.NamePage<>(
        users, next.isNull() || next.isMissingNode() ? null : next.asText());
  }

  /** One user; 400 for reserved users, 404 when missing. */
  public UserModel show(Caller caller, String projectId, String id, UserRef ref) {
    String manager = admin.ready(projectId, id);
    if (Names.reservedUser(manager, ref.name())) {
      throw CofferException.badRequest("'" + ref.name() + "' is a reserved user name.");
    }
    UserModel u = admin.user(caller, id, ref.name(), ref.host());
    if (u == null) {
      throw UserRef.notFound(ref);
    }
    return u;
  }

  /** {@code PUT users/{user}}: rename, move or re-password one user. */
  public void update(Caller caller, String projectId, String id, UserRef ref, JsonNode body) {
    admin
        .events()
        .start("user_update_attributes", Map.of("instance_id", id, "username", ref.name()));
    Body b = Body.root(body, "user").only("name", "password", "host");
    if (b.keys().isEmpty()) {
      throw CofferException.validation("user {} does not have enough properties");
    }
    UserModel current = show(caller, projectId, id, ref);
    String name = b.optionalString("name", 63);
    String host = Names.checkHost(b.optionalString("host", 255));
    String password = b.optionalString("password", 255);
    String manager = admin.ready(projectId, id);
    if (name != null) {
      Names.checkUser(manager, name);
    }
    if (name != null || host != null) {
      String newName = name == null ? current.name() : name;
      String newHost = host == null ? current.hostOrAny() : host;
      if ((!newName.equals(current.name()) || !newHost.equals(current.hostOrAny()))
          && admin.user(caller, id, newName, newHost) != null) {
        throw CofferException.badRequest("User " + newName + "@" + newHost + " already exists.");
      }
    }
    guests.cast(
        admin.events().toGuest(caller.context()),
        id,
        GuestMethods.UPDATE_ATTRIBUTES,
        new UpdateAttributesArgs(
            ref.name(), ref.host(), new UserAttributes(name, host, Secret.ofNullable(password))));
  }

  /** {@code PUT users}: new passwords for several users; 404 if one is missing. */
  public void changePasswords(Caller caller, String projectId, String id, JsonNode body) {
    Body b = Body.of(body, "body");
    List<UserPassword> changes = new ArrayList<>();
    for (Body u : b.objects("users", 100)) {
      String name = u.requiredString("name", 63);
      String host = Names.checkHost(u.optionalString("host", 255));
      String password = u.requiredString("password", 255);
      changes.add(new UserPassword(name, host == null ? "%" : host, new Secret(password)));
    }
    if (changes.isEmpty()) {
      throw CofferException.validation("body 'users' is a required property");
    }
    admin
        .events()
        .start(
            "user_change_password",
            Map.of(
                "instance_id",
                id,
                "username",
                String.join(",", changes.stream().map(UserPassword::name).toList())));
    for (UserPassword c : changes) {
      show(caller, projectId, id, new UserRef(c.name(), c.host()));
    }
    guests.cast(
        admin.events().toGuest(caller.context()),
        id,
        GuestMethods.CHANGE_PASSWORDS,
        new ChangePasswordsArgs(changes));
  }

  /** Databases a user may access. */
  public List<String> access(Caller caller, String projectId, String id, UserRef ref) {
    show(caller, projectId, id, ref);
    DatabaseModel[] dbs =
        guests.call(
            caller.context(),
            id,
            GuestMethods.LIST_ACCESS,
            new UserRefArgs(ref.name(), ref.host()));
    List<String> names = new ArrayList<>();
    if (dbs != null) {
      for (DatabaseModel d : dbs) {
        names.add(d.name());
      }
    }
    return names;
  }

  /** Grants a user all privileges on databases. */
  public void grant(Caller caller, String projectId, String id, UserRef ref, JsonNode body) {
    Body b = Body.of(body, "body");
    List<String> dbs = new ArrayList<>();
    for (Body d : b.objects("databases", 100)) {
      dbs.add(d.requiredString("name", 64));
    }
    if (dbs.isEmpty()) {
      throw CofferException.validation("body 'databases' is a required property");
    }
    admin
        .events()
        .start(
            "user_grant",
            Map.of("instance_id", id, "username", ref.name(), "database", List.copyOf(dbs)));
    show(caller, projectId, id, ref);
    guests.call(
        caller.context(),
        id,
        GuestMethods.GRANT_ACCESS,
        new GrantAccessArgs(ref.name(), ref.host(), dbs));
  }

  /** Revokes a user's access to a database; 404 when not granted. */
  public void revoke(Caller caller, String projectId, String id, UserRef ref, String database) {
    admin
        .events()
        .start(
            "user_revoke",
            Map.of("instance_id", id, "username", ref.name(), "database", List.of(database)));
    if (!access(caller, projectId, id, ref).contains(database)) {
      throw CofferException.notFound("Database " + database + " cannot be found on the instance.");
    }
    guests.call(
        caller.context(),
        id,
        GuestMethods.REVOKE_ACCESS,
        new RevokeAccessArgs(ref.name(), ref.host(), database));
  }
}
