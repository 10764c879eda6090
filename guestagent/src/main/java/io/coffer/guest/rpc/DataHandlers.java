package io.coffer.guest.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.datastore.DatastoreManager;
import io.coffer.model.guest.ChangePasswordsArgs;
import io.coffer.model.guest.CreateDatabaseArgs;
import io.coffer.model.guest.CreateUserArgs;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.DeleteDatabaseArgs;
import io.coffer.model.guest.DeleteUserArgs;
import io.coffer.model.guest.GrantAccessArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.ListArgs;
import io.coffer.model.guest.RevokeAccessArgs;
import io.coffer.model.guest.UpdateAttributesArgs;
import io.coffer.model.guest.UserModel;
import io.coffer.model.guest.UserPassword;
import io.coffer.model.guest.UserRefArgs;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Databases, users and access on the guest's database server. */
final class DataHandlers {

  private static final ObjectMapper JSON = io.coffer.model.rpc.MessageCodec.newMapper();
  private static final int MAX_PAGE = 1000;

  private DataHandlers() {}

  private static int limit(ListArgs a) {
    return a.limit() == null || a.limit() <= 0 ? MAX_PAGE : Math.min(a.limit(), MAX_PAGE);
  }

  @ApplicationScoped
  static class ListDatabases implements MessageHandler<ListArgs, JsonNode> {
    private final DatastoreManager manager;

    ListDatabases(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<ListArgs, JsonNode> method() {
      return GuestMethods.LIST_DATABASES;
    }

    @Override
    public JsonNode handle(RequestContext context, ListArgs a) {
      return JSON.valueToTree(
          manager.listDatabases(limit(a), a.marker(), Boolean.TRUE.equals(a.includeMarker())));
    }
  }

  @ApplicationScoped
  static class CreateDatabase implements MessageHandler<CreateDatabaseArgs, Void> {
    private final DatastoreManager manager;

    CreateDatabase(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<CreateDatabaseArgs, Void> method() {
      return GuestMethods.CREATE_DATABASE;
    }

    @Override
    public Void handle(RequestContext context, CreateDatabaseArgs a) {
      manager.createDatabases(a.databases() == null ? java.util.List.of() : a.databases());
      return null;
    }
  }

  @ApplicationScoped
  static class DeleteDatabase implements MessageHandler<DeleteDatabaseArgs, Void> {
    private final DatastoreManager manager;

    DeleteDatabase(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<DeleteDatabaseArgs, Void> method() {
      return GuestMethods.DELETE_DATABASE;
    }

    @Override
    public Void handle(RequestContext context, DeleteDatabaseArgs a) {
      manager.deleteDatabase(a.database().name());
      return null;
    }
  }

  @ApplicationScoped
  static class ListUsers implements MessageHandler<ListArgs, JsonNode> {
    private final DatastoreManager manager;

    ListUsers(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<ListArgs, JsonNode> method() {
      return GuestMethods.LIST_USERS;
    }

    @Override
    public JsonNode handle(RequestContext context, ListArgs a) {
      return JSON.valueToTree(
          manager.listUsers(limit(a), a.marker(), Boolean.TRUE.equals(a.includeMarker())));
    }
  }

  @ApplicationScoped
  static class GetUser implements MessageHandler<UserRefArgs, UserModel> {
    private final DatastoreManager manager;

    GetUser(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<UserRefArgs, UserModel> method() {
      return GuestMethods.GET_USER;
    }

    @Override
    public UserModel handle(RequestContext context, UserRefArgs a) {
      return manager.user(a.username());
    }
  }

  @ApplicationScoped
  static class CreateUser implements MessageHandler<CreateUserArgs, Void> {
    private final DatastoreManager manager;

    CreateUser(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<CreateUserArgs, Void> method() {
      return GuestMethods.CREATE_USER;
    }

    @Override
    public Void handle(RequestContext context, CreateUserArgs a) {
      manager.createUsers(a.users() == null ? java.util.List.of() : a.users());
      return null;
    }
  }

  @ApplicationScoped
  static class DeleteUser implements MessageHandler<DeleteUserArgs, Void> {
    private final DatastoreManager manager;

    DeleteUser(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<DeleteUserArgs, Void> method() {
      return GuestMethods.DELETE_USER;
    }

    @Override
    public Void handle(RequestContext context, DeleteUserArgs a) {
      manager.deleteUser(a.user().name());
      return null;
    }
  }

  @ApplicationScoped
  static class UpdateAttributes implements MessageHandler<UpdateAttributesArgs, Void> {
    private final DatastoreManager manager;

    UpdateAttributes(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<UpdateAttributesArgs, Void> method() {
      return GuestMethods.UPDATE_ATTRIBUTES;
    }

    @Override
    public Void handle(RequestContext context, UpdateAttributesArgs a) {
      var attrs = a.userAttrs();
      manager.updateUser(
          a.username(),
          attrs == null ? null : attrs.name(),
          attrs == null ? null : attrs.password());
      return null;
    }
  }

  @ApplicationScoped
  static class ChangePasswords implements MessageHandler<ChangePasswordsArgs, Void> {
    private final DatastoreManager manager;

    ChangePasswords(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<ChangePasswordsArgs, Void> method() {
      return GuestMethods.CHANGE_PASSWORDS;
    }

    @Override
    public Void handle(RequestContext context, ChangePasswordsArgs a) {
      for (UserPassword u : a.users()) {
        manager.updateUser(u.name(), null, u.password());
      }
      return null;
    }
  }

  @ApplicationScoped
  static class ListAccess implements MessageHandler<UserRefArgs, DatabaseModel[]> {
    private final DatastoreManager manager;

    ListAccess(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<UserRefArgs, DatabaseModel[]> method() {
      return GuestMethods.LIST_ACCESS;
    }

    @Override
    public DatabaseModel[] handle(RequestContext context, UserRefArgs a) {
      return manager.access(a.username()).toArray(DatabaseModel[]::new);
    }
  }

  @ApplicationScoped
  static class GrantAccess implements MessageHandler<GrantAccessArgs, Void> {
    private final DatastoreManager manager;

    GrantAccess(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<GrantAccessArgs, Void> method() {
      return GuestMethods.GRANT_ACCESS;
    }

    @Override
    public Void handle(RequestContext context, GrantAccessArgs a) {
      manager.grant(a.username(), a.databases() == null ? java.util.List.of() : a.databases());
      return null;
    }
  }

  @ApplicationScoped
  static class RevokeAccess implements MessageHandler<RevokeAccessArgs, Void> {
    private final DatastoreManager manager;

    RevokeAccess(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<RevokeAccessArgs, Void> method() {
      return GuestMethods.REVOKE_ACCESS;
    }

    @Override
    public Void handle(RequestContext context, RevokeAccessArgs a) {
      manager.revoke(a.username(), a.database());
      return null;
    }
  }
}
