package io.coffer.guest.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.datastore.Datastore;
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
    private final Datastore datastore;

    ListDatabases(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ListArgs, JsonNode> method() {
      return GuestMethods.LIST_DATABASES;
    }

    @Override
    public JsonNode handle(RequestContext context, ListArgs a) {
      return JSON.valueToTree(
          datastore
              .admin()
              .databases(limit(a), a.marker(), Boolean.TRUE.equals(a.includeMarker()))
              .toWire());
    }
  }

  @ApplicationScoped
  static class CreateDatabase implements MessageHandler<CreateDatabaseArgs, Void> {
    private final Datastore datastore;

    CreateDatabase(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<CreateDatabaseArgs, Void> method() {
      return GuestMethods.CREATE_DATABASE;
    }

    @Override
    public Void handle(RequestContext context, CreateDatabaseArgs a) {
      datastore
          .admin()
          .createDatabases(a.databases() == null ? java.util.List.of() : a.databases());
      return null;
    }
  }

  @ApplicationScoped
  static class DeleteDatabase implements MessageHandler<DeleteDatabaseArgs, Void> {
    private final Datastore datastore;

    DeleteDatabase(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<DeleteDatabaseArgs, Void> method() {
      return GuestMethods.DELETE_DATABASE;
    }

    @Override
    public Void handle(RequestContext context, DeleteDatabaseArgs a) {
      datastore.admin().deleteDatabase(a.database().name());
      return null;
    }
  }

  @ApplicationScoped
  static class ListUsers implements MessageHandler<ListArgs, JsonNode> {
    private final Datastore datastore;

    ListUsers(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ListArgs, JsonNode> method() {
      return GuestMethods.LIST_USERS;
    }

    @Override
    public JsonNode handle(RequestContext context, ListArgs a) {
      return JSON.valueToTree(
          datastore
              .admin()
              .users(limit(a), a.marker(), Boolean.TRUE.equals(a.includeMarker()))
              .toWire());
    }
  }

  @ApplicationScoped
  static class GetUser implements MessageHandler<UserRefArgs, UserModel> {
    private final Datastore datastore;

    GetUser(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<UserRefArgs, UserModel> method() {
      return GuestMethods.GET_USER;
    }

    @Override
    public UserModel handle(RequestContext context, UserRefArgs a) {
      return datastore.admin().user(a.username(), a.hostname());
    }
  }

  @ApplicationScoped
  static class CreateUser implements MessageHandler<CreateUserArgs, Void> {
    private final Datastore datastore;

    CreateUser(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<CreateUserArgs, Void> method() {
      return GuestMethods.CREATE_USER;
    }

    @Override
    public Void handle(RequestContext context, CreateUserArgs a) {
      datastore.admin().createUsers(a.users() == null ? java.util.List.of() : a.users());
      return null;
    }
  }

  @ApplicationScoped
  static class DeleteUser implements MessageHandler<DeleteUserArgs, Void> {
    private final Datastore datastore;

    DeleteUser(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<DeleteUserArgs, Void> method() {
      return GuestMethods.DELETE_USER;
    }

    @Override
    public Void handle(RequestContext context, DeleteUserArgs a) {
      datastore.admin().deleteUser(a.user().name(), a.user().host());
      return null;
    }
  }

  @ApplicationScoped
  static class UpdateAttributes implements MessageHandler<UpdateAttributesArgs, Void> {
    private final Datastore datastore;

    UpdateAttributes(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<UpdateAttributesArgs, Void> method() {
      return GuestMethods.UPDATE_ATTRIBUTES;
    }

    @Override
    public Void handle(RequestContext context, UpdateAttributesArgs a) {
      var attrs = a.userAttrs();
      datastore
          .admin()
          .updateUser(
              a.username(),
              a.hostname(),
              attrs == null ? new io.coffer.model.guest.UserAttributes(null, null, null) : attrs);
      return null;
    }
  }

  @ApplicationScoped
  static class ChangePasswords implements MessageHandler<ChangePasswordsArgs, Void> {
    private final Datastore datastore;

    ChangePasswords(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ChangePasswordsArgs, Void> method() {
      return GuestMethods.CHANGE_PASSWORDS;
    }

    @Override
    public Void handle(RequestContext context, ChangePasswordsArgs a) {
      for (UserPassword u : a.users()) {
        datastore
            .admin()
            .updateUser(
                u.name(),
                u.host(),
                new io.coffer.model.guest.UserAttributes(null, null, u.password()));
      }
      return null;
    }
  }

  @ApplicationScoped
  static class ListAccess implements MessageHandler<UserRefArgs, DatabaseModel[]> {
    private final Datastore datastore;

    ListAccess(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<UserRefArgs, DatabaseModel[]> method() {
      return GuestMethods.LIST_ACCESS;
    }

    @Override
    public DatabaseModel[] handle(RequestContext context, UserRefArgs a) {
      return datastore.admin().access(a.username(), a.hostname()).toArray(DatabaseModel[]::new);
    }
  }

  @ApplicationScoped
  static class GrantAccess implements MessageHandler<GrantAccessArgs, Void> {
    private final Datastore datastore;

    GrantAccess(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<GrantAccessArgs, Void> method() {
      return GuestMethods.GRANT_ACCESS;
    }

    @Override
    public Void handle(RequestContext context, GrantAccessArgs a) {
      datastore
          .admin()
          .grant(
              a.username(),
              a.hostname(),
              a.databases() == null ? java.util.List.of() : a.databases());
      return null;
    }
  }

  @ApplicationScoped
  static class RevokeAccess implements MessageHandler<RevokeAccessArgs, Void> {
    private final Datastore datastore;

    RevokeAccess(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<RevokeAccessArgs, Void> method() {
      return GuestMethods.REVOKE_ACCESS;
    }

    @Override
    public Void handle(RequestContext context, RevokeAccessArgs a) {
      datastore.admin().revoke(a.username(), a.hostname(), a.database());
      return null;
    }
  }
}
