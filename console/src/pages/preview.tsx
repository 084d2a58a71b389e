/**
 * The playback preview of the live control room. No video player is bundled yet: the preview is a
 * placeholder (locally there is no video at all; in the cloud the playback URL is shown), and
 * beneath it the timed metadata (spotlights) as sent to every viewer's player.
 */
import { useI18n } from '../i18n/index.js';
import { type LiveSpotlight, spotlightPayload } from '../live.js';
import { formatFen } from '../money.js';
import { formatChinaTime } from '../time.js';

/** A playback URL of the local province (no video): its IVS stand-in serves `/_local/playback/…`. */
export function isLocalPlayback(url: string | null | undefined): boolean {
  return !url || url.includes('/_local/');
}

/** The latest spotlight messages listed (a long show sends hundreds). */
const SHOWN = 20;

export function Preview({ showId, playbackUrl, live, spotlights, nameOf }: { showId: string; playbackUrl: string | null | undefined; live: boolean; spotlights: readonly LiveSpotlight[]; nameOf: (productId: string) => string }) {
  const { t, lang } = useI18n();
  const local = isLocalPlayback(playbackUrl);
  return (
    <section className="panel" aria-labelledby="preview-title" data-testid="preview">
      <h2 id="preview-title">{t('preview.title')}</h2>
      {/*
       * ── IVS PLAYER MOUNT POINT ──────────────────────────────────────────────────────────────
       * When the lead adds `amazon-ivs-player` (lazy-loaded, only in this chunk), mount it here
       * instead of the placeholder when `!local && live && playbackUrl`:
       *   const player = create({ wasmWorker, wasmBinary }); player.attachHTMLVideoElement(video);
       *   player.addEventListener(PlayerEventType.TEXT_METADATA_CUE, (cue) => …); player.load(playbackUrl); player.play();
       * and add the player's origins to the distribution's content security policy.
       */}
      <div className="preview-box" data-testid="preview-placeholder" data-local={local ? 'true' : 'false'}>
        <p className="preview-state">{!live ? t('preview.offAir') : local ? t('preview.local') : t('preview.noPlayer')}</p>
        {!local && playbackUrl ? (
          <p className="muted">
            {t('preview.playbackUrl')} <code data-testid="preview-url">{playbackUrl}</code>
          </p>
        ) : null}
      </div>
      <h3 id="metadata-title">{t('preview.metadata')}</h3>
      <p className="hint">{t('preview.metadataHint')}</p>
      {spotlights.length === 0 ? (
        <p className="muted" data-testid="preview-metadata">
          {t('preview.noMetadata')}
        </p>
      ) : (
        <ol className="rows compact metadata" aria-labelledby="metadata-title" data-testid="preview-metadata">
          {spotlights.slice(0, SHOWN).map((s) => (
            <li key={s.seq} className="row" data-testid={`preview-metadata-${s.seq}`}>
              <div className="row-main">
                <span>
                  #{s.seq} · <strong>{nameOf(s.productId)}</strong> · {formatFen(s.showPriceFen)}
                </span>
                <time className="muted" dateTime={s.at}>
                  {formatChinaTime(s.at, lang)}
                </time>
              </div>
              <code className="payload">{spotlightPayload(showId, s)}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
