/**
 * Pure display helpers shared by the appointment components: status badges, meeting methods,
 * durations and the "does the appointment's own time zone differ from mine" rule.
 */

export interface StatusInfo {
  label: string;
  badgeClass: string;
  iconName: string;
}

export interface MeetingInfo {
  label: string;
  iconName: string;
}

const STATUS: Record<string, StatusInfo> = {
  Confirmed: { label: 'Confirmed', badgeClass: 'slds-badge_lightest', iconName: 'utility:event' },
  Arrived: { label: 'Arrived', badgeClass: 'slds-badge_inverse', iconName: 'utility:checkin' },
  'In Progress': {
    label: 'In progress',
    badgeClass: 'slds-theme_warning',
    iconName: 'utility:clock'
  },
  Completed: { label: 'Completed', badgeClass: 'slds-theme_success', iconName: 'utility:success' },
  Cancelled: { label: 'Cancelled', badgeClass: 'slds-theme_error', iconName: 'utility:close' },
  'No Show': { label: 'No-show', badgeClass: 'slds-theme_error', iconName: 'utility:warning' }
};

const MEETING: Record<string, MeetingInfo> = {
  'At Location': { label: 'At a branch', iconName: 'utility:location' },
  'Phone Call': { label: 'Phone call', iconName: 'utility:call' },
  'Video Call': { label: 'Video call', iconName: 'utility:video' },
  'Off-site': { label: 'Off-site', iconName: 'utility:travel_and_places' }
};

/**
 * The badge for a normalized status. Unknown or missing statuses keep Coconut's raw value visible.
 * @param status Status__c (Confirmed, Arrived, In Progress, Completed, Cancelled, No Show, Unknown)
 * @param statusRaw Status_Raw__c, shown for statuses the package does not know
 */
export function statusInfo(status?: string, statusRaw?: string): StatusInfo {
  const known = status ? STATUS[status] : undefined;
  if (known) {
    return known;
  }
  const raw = statusRaw && statusRaw.trim().length > 0 ? statusRaw.trim() : undefined;
  return {
    label: raw ? `Unknown (${raw})` : 'Unknown',
    badgeClass: '',
    iconName: 'utility:help'
  };
}

/**
 * Label and icon for Meeting_Method__c; undefined when there is none.
 */
export function meetingInfo(method?: string): MeetingInfo | undefined {
  if (!method) {
    return undefined;
  }
  return MEETING[method] ?? { label: 'Meeting method unknown', iconName: 'utility:help' };
}

/**
 * "45 min", "1 h", "1 h 30 min"; empty for a missing or non-positive duration.
 */
export function formatDuration(minutes?: number): string {
  if (minutes === undefined || minutes === null || !Number.isFinite(minutes) || minutes <= 0) {
    return '';
  }
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  if (hours === 0) {
    return `${rest} min`;
  }
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function wallClock(instant: Date, timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    }).format(instant);
  } catch {
    return undefined;
  }
}

/**
 * Whether the appointment's own zone shows a different wall-clock time than the viewer's at that
 * instant (America/Toronto and America/New_York do not differ; America/Winnipeg does).
 * @param isoStart the appointment start (ISO-8601)
 * @param viewerZone the viewer's IANA zone
 * @param ownZone the appointment's IANA zone (Time_Zone__c)
 */
export function zonesDiffer(isoStart?: string, viewerZone?: string, ownZone?: string): boolean {
  if (!isoStart || !viewerZone || !ownZone || viewerZone === ownZone) {
    return false;
  }
  const instant = new Date(isoStart);
  if (Number.isNaN(instant.getTime())) {
    return false;
  }
  const own = wallClock(instant, ownZone);
  const viewer = wallClock(instant, viewerZone);
  return own !== undefined && viewer !== undefined && own !== viewer;
}
