CREATE TABLE log_counts (
		workspace_id TEXT NOT NULL,
		webhook_id TEXT NOT NULL,
		direction TEXT NOT NULL,
		outcome TEXT NOT NULL,
		event_type TEXT NOT NULL,
		hour INTEGER NOT NULL,
		n INTEGER NOT NULL,
		PRIMARY KEY (workspace_id, hour, webhook_id, direction, outcome, event_type)
	) WITHOUT ROWID;

INSERT INTO log_counts
		SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, COALESCE((SELECT type FROM events WHERE id = l.event_id), ''), CAST(strftime('%s', l.occurred_at) AS INTEGER) / 3600, COUNT(*)
		FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TABLE log_counts_batch (counting INTEGER NOT NULL);

-- log_counts_insert
CREATE TRIGGER log_counts_insert AFTER INSERT ON webhook_logs
		WHEN NOT EXISTS (SELECT 1 FROM log_counts_batch) BEGIN INSERT INTO log_counts VALUES (NEW.workspace_id, NEW.webhook_id, NEW.direction, NEW.outcome, COALESCE((SELECT type FROM events WHERE id = NEW.event_id), ''), CAST(strftime('%s', NEW.occurred_at) AS INTEGER) / 3600, 1)
		ON CONFLICT DO UPDATE SET n = n + 1; END;

-- log_counts_delete
CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs BEGIN UPDATE log_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id AND hour = CAST(strftime('%s', OLD.occurred_at) AS INTEGER) / 3600 AND webhook_id = OLD.webhook_id AND direction = OLD.direction AND outcome = OLD.outcome
		AND event_type = COALESCE((SELECT type FROM events WHERE id = OLD.event_id), '');
		DELETE FROM log_counts WHERE workspace_id = OLD.workspace_id AND hour = CAST(strftime('%s', OLD.occurred_at) AS INTEGER) / 3600 AND webhook_id = OLD.webhook_id AND direction = OLD.direction AND outcome = OLD.outcome
		AND event_type = COALESCE((SELECT type FROM events WHERE id = OLD.event_id), '') AND n <= 0; END;

-- log_counts_update
CREATE TRIGGER log_counts_update
		AFTER UPDATE OF workspace_id, webhook_id, direction, outcome, occurred_at ON webhook_logs
		BEGIN UPDATE log_counts SET n = n - 1 WHERE workspace_id = OLD.workspace_id AND hour = CAST(strftime('%s', OLD.occurred_at) AS INTEGER) / 3600 AND webhook_id = OLD.webhook_id AND direction = OLD.direction AND outcome = OLD.outcome
		AND event_type = COALESCE((SELECT type FROM events WHERE id = OLD.event_id), '');
		DELETE FROM log_counts WHERE workspace_id = OLD.workspace_id AND hour = CAST(strftime('%s', OLD.occurred_at) AS INTEGER) / 3600 AND webhook_id = OLD.webhook_id AND direction = OLD.direction AND outcome = OLD.outcome
		AND event_type = COALESCE((SELECT type FROM events WHERE id = OLD.event_id), '') AND n <= 0;INSERT INTO log_counts VALUES (NEW.workspace_id, NEW.webhook_id, NEW.direction, NEW.outcome, COALESCE((SELECT type FROM events WHERE id = NEW.event_id), ''), CAST(strftime('%s', NEW.occurred_at) AS INTEGER) / 3600, 1)
		ON CONFLICT DO UPDATE SET n = n + 1; END;

