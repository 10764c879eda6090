package io.coffer.taskmanager.task;

import io.coffer.bus.MessageHandler;
import io.coffer.bus.PermanentFailure;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.ClusterArgs;
import io.coffer.model.taskmanager.GrowClusterArgs;
import io.coffer.model.taskmanager.MigrateArgs;
import io.coffer.model.taskmanager.ReapplyModuleArgs;
import io.coffer.model.taskmanager.RebuildArgs;
import io.coffer.model.taskmanager.ShrinkClusterArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.model.taskmanager.UpgradeArgs;
import io.coffer.model.taskmanager.UpgradeClusterArgs;
import io.coffer.taskmanager.lifecycle.Lifecycle;
import java.util.function.Function;

/**
 * Taskmanager methods Coffer does not carry out (yet): the instance's task ends in ERROR with a
 * fault saying so, instead of a silent drop. Cluster and module methods name no instance: they are
 * dead-lettered with the reason.
 */
final class NotSupportedTasks {

  private NotSupportedTasks() {}

  /** Fails the instance a message names. */
  abstract static class FailInstance<A> implements MessageHandler<A, Void> {
    private final Lifecycle lifecycle;
    private final Method<A, Void> method;
    private final InstanceTask task;
    private final InstanceTask error;
    private final Function<A, String> instance;

    FailInstance(
        Lifecycle lifecycle,
        Method<A, Void> method,
        InstanceTask task,
        InstanceTask error,
        Function<A, String> instance) {
      this.lifecycle = lifecycle;
      this.method = method;
      this.task = task;
      this.error = error;
      this.instance = instance;
    }

    @Override
    public Method<A, Void> method() {
      return method;
    }

    @Override
    public Void handle(RequestContext context, A args) {
      lifecycle.fail(
          instance.apply(args),
          task,
          error,
          "The " + method.name() + " task is not supported by this Coffer release.",
          null);
      return null;
    }
  }

  @jakarta.inject.Singleton
  static class Upgrade extends FailInstance<UpgradeArgs> {
    Upgrade(Lifecycle l) {
      super(
          l,
          TaskManagerMethods.UPGRADE,
          InstanceTask.UPGRADING,
          InstanceTask.UPGRADING_INSTANCE_ERROR,
          UpgradeArgs::instanceId);
    }
  }

  @jakarta.inject.Singleton
  static class Migrate extends FailInstance<MigrateArgs> {
    Migrate(Lifecycle l) {
      super(
          l,
          TaskManagerMethods.MIGRATE,
          InstanceTask.MIGRATING,
          InstanceTask.UPGRADING_INSTANCE_ERROR,
          MigrateArgs::instanceId);
    }
  }

  @jakarta.inject.Singleton
  static class Rebuild extends FailInstance<RebuildArgs> {
    Rebuild(Lifecycle l) {
      super(
          l,
          TaskManagerMethods.REBUILD,
          InstanceTask.BUILDING,
          InstanceTask.BUILDING_ERROR_SERVER,
          RebuildArgs::instanceId);
    }
  }

  /** Rejects a method that names no instance. */
  abstract static class Reject<A> implements MessageHandler<A, Void> {
    private final Method<A, Void> method;

    Reject(Method<A, Void> method) {
      this.method = method;
    }

    @Override
    public Method<A, Void> method() {
      return method;
    }

    @Override
    public Void handle(RequestContext context, A args) {
      throw new PermanentFailure(method.name() + " is not supported by Coffer");
    }
  }

  @jakarta.inject.Singleton
  static class CreateCluster extends Reject<ClusterArgs> {
    CreateCluster() {
      super(TaskManagerMethods.CREATE_CLUSTER);
    }
  }

  @jakarta.inject.Singleton
  static class DeleteCluster extends Reject<ClusterArgs> {
    DeleteCluster() {
      super(TaskManagerMethods.DELETE_CLUSTER);
    }
  }

  @jakarta.inject.Singleton
  static class RestartCluster extends Reject<ClusterArgs> {
    RestartCluster() {
      super(TaskManagerMethods.RESTART_CLUSTER);
    }
  }

  @jakarta.inject.Singleton
  static class GrowCluster extends Reject<GrowClusterArgs> {
    GrowCluster() {
      super(TaskManagerMethods.GROW_CLUSTER);
    }
  }

  @jakarta.inject.Singleton
  static class ShrinkCluster extends Reject<ShrinkClusterArgs> {
    ShrinkCluster() {
      super(TaskManagerMethods.SHRINK_CLUSTER);
    }
  }

  @jakarta.inject.Singleton
  static class UpgradeCluster extends Reject<UpgradeClusterArgs> {
    UpgradeCluster() {
      super(TaskManagerMethods.UPGRADE_CLUSTER);
    }
  }

  @jakarta.inject.Singleton
  static class ReapplyModule extends Reject<ReapplyModuleArgs> {
    ReapplyModule() {
      super(TaskManagerMethods.REAPPLY_MODULE);
    }
  }
}
