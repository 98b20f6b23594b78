import { upgradeBannerText } from '../lib/upgrade-text';
import { useApp } from '../state/store';

/** Above every signed-in screen for as long as the service wants a newer app. */
export function UpgradeBanner() {
  const text = useApp((s) => upgradeBannerText(s.sync, s.appInfo?.version ?? null));
  if (!text) return null;
  return (
    <div role="alert" className="banner upgrade-banner">
      <strong>Update Help Desk.</strong> {text}
    </div>
  );
}
