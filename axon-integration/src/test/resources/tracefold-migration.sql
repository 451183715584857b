-- A migration that owns the lineage table (as a Flyway or Liquibase user's would): no IF NOT EXISTS.
CREATE TABLE tracefold_projection_lineage (
  projection     VARCHAR(255) NOT NULL,
  entity_id      VARCHAR(255) NOT NULL,
  lineage        TEXT         NOT NULL,
  first_event_id VARCHAR(255),
  last_event_id  VARCHAR(255),
  version        BIGINT       NOT NULL DEFAULT 0,
  created_by_migration BOOLEAN NOT NULL DEFAULT TRUE,
  PRIMARY KEY (projection, entity_id));
