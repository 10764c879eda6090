package io.coffer.guest.rpc;

import io.coffer.bus.MessageHandler;
import io.coffer.guest.datastore.Datastore;
import io.coffer.model.guest.EnableRootWithPasswordArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.UserModel;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The root (superuser) account. */
final class RootHandlers {

  private RootHandlers() {}

  @ApplicationScoped
  static class EnableRoot implements MessageHandler<NoArgs, UserModel> {
    private final Datastore datastore;

    EnableRoot(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, UserModel> method() {
      return GuestMethods.ENABLE_ROOT;
    }

    @Override
    public UserModel handle(RequestContext context, NoArgs args) {
      return datastore.admin().enableRoot(null);
    }
  }

  @ApplicationScoped
  static class EnableRootWithPassword
      implements MessageHandler<EnableRootWithPasswordArgs, UserModel> {
    private final Datastore datastore;

    EnableRootWithPassword(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<EnableRootWithPasswordArgs, UserModel> method() {
      return GuestMethods.ENABLE_ROOT_WITH_PASSWORD;
    }

    @Override
    public UserModel handle(RequestContext context, EnableRootWithPasswordArgs args) {
      return datastore.admin().enableRoot(args.rootPassword());
    }
  }

  @ApplicationScoped
  static class DisableRoot implements MessageHandler<NoArgs, Void> {
    private final Datastore datastore;

    DisableRoot(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, Void> method() {
      return GuestMethods.DISABLE_ROOT;
    }

    @Override
    public Void handle(RequestContext context, NoArgs args) {
      datastore.admin().disableRoot();
      return null;
    }
  }

  @ApplicationScoped
  static class IsRootEnabled implements MessageHandler<NoArgs, Boolean> {
    private final Datastore datastore;

    IsRootEnabled(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, Boolean> method() {
      return GuestMethods.IS_ROOT_ENABLED;
    }

    @Override
    public Boolean handle(RequestContext context, NoArgs args) {
      return datastore.admin().rootEnabled();
    }
  }
}
