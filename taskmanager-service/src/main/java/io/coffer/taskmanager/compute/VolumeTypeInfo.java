package io.coffer.taskmanager.compute;

/**
 * A kind of volume a compute driver offers (a Cinder volume type on OpenStack).
 *
 * @param id its id
 * @param name its name, which requests may give instead of the id
 * @param isPublic whether every project may use it
 * @param description what it is, optional
 */
public record VolumeTypeInfo(String id, String name, boolean isPublic, String description) {}
