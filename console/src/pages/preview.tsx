/**
 * The playback preview of the live control room: in the cloud, the IVS player (loaded from IVS's
 * CDN only then) on the playback URL; locally, where there is no video, a placeholder. Beneath it
 * the timed metadata (spotlights) as sent to every viewer's player.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/index.js';
import { type IvsPlayer, loadIvsPlayer } from '../ivs-player.js';
import { type LiveSpotlight, spotlightPayload } from '../live.js';
import { formatFen } from '../money.js';
import { formatChinaTime } from '../time.js';

/** A playback URL of the local province (no video): its IVS stand-in serves `/_local/playback/…`. */
export function isLocalPlayback(url: string | null | undefined): boolean {
  return !url || url.includes('/_local/');
}

/** The latest spotlight messages listed (a long show sends hundreds). */
const SHOWN = 20;

/** The show as viewers see it (cloud only): the IVS player on the playback URL, muted, with its timed metadata. */
function CloudPlayer({ playbackUrl }: { playbackUrl: string }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const [cues, setCues] = useState<string[]>([]);
  useEffect(() => {
    let player: IvsPlayer | undefined;
    let gone = false;
    void loadIvsPlayer()
      .then((ivs) => {
        if (gone || !video.current || !ivs.isPlayerSupported) return setFailed(!ivs.isPlayerSupported);
        player = ivs.create();
        player.attachHTMLVideoElement(video.current);
        player.addEventListener(ivs.PlayerEventType.TEXT_METADATA_CUE, (cue) => {
          const text = (cue as { text?: string }).text;
          if (text) setCues((all) => [text, ...all].slice(0, 5));
        });
        player.addEventListener(ivs.PlayerEventType.ERROR, () => setFailed(true));
        player.setMuted(true);
        player.load(playbackUrl);
        player.play();
      })
      .catch(() => setFailed(true));
    return () => {
      gone = true;
      player?.delete();
    };
  }, [playbackUrl]);
  return (
    <div className="preview-player">
      <video ref={video} playsInline muted controls aria-label={t('preview.title')} data-testid="preview-video" />
      {failed ? <p className="notice warn">{t('preview.playerFailed')}</p> : null}
      {cues.length ? <p className="muted" data-testid="preview-cues">{cues[0]}</p> : null}
    </div>
  );
}

export function Preview({ showId, playbackUrl, live, spotlights, nameOf }: { showId: string; playbackUrl: string | null | undefined; live: boolean; spotlights: readonly LiveSpotlight[]; nameOf: (productId: string) => string }) {
  const { t, lang } = useI18n();
  const local = isLocalPlayback(playbackUrl);
  return (
    <section className="panel" aria-labelledby="preview-title" data-testid="preview">
      <h2 id="preview-title">{t('preview.title')}</h2>
      {!local && live && playbackUrl ? <CloudPlayer playbackUrl={playbackUrl} /> : null}
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
