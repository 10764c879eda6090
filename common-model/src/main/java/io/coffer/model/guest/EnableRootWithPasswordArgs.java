package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.secret.Secret;

/**
 * Arguments of {@code enable_root_with_password}.
 *
 * @param rootPassword the password to set, or {@code null} to generate one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnableRootWithPasswordArgs(Secret rootPassword) {}
