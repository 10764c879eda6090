package io.coffer.taskmanager.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the taskmanager, under {@code coffer.taskmanager}. */
@ConfigMapping(prefix = "coffer.taskmanager")
public interface TaskManagerConfig {

  /** Tasks handled in parallel (channels consuming the taskmanager queue, one task each). */
  @WithDefault("8")
  int consumers();
}
