-- Partner requests counted per fixed one-minute window, shared by every node: a partner's RequestsPerMinute holds for
-- the cluster, not once per node. One row per partner and window (window_start: ms since the epoch, UTC); the first
-- request of a window deletes the windows before it. UNLOGGED: only the current minute matters, and a crash that
-- empties the table forgives one minute at most, for the price of no write-ahead log on every partner request.
CREATE UNLOGGED TABLE partner_windows (
    partner      text   NOT NULL,
    window_start bigint NOT NULL,
    requests     bigint NOT NULL,
    PRIMARY KEY (partner, window_start)
);
