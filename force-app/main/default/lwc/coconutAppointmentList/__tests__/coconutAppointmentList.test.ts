import { createElement } from 'lwc';
import { registerSa11yMatcher } from '@sa11y/jest';
import CoconutAppointmentList from 'c/coconutAppointmentList';

jest.mock('@salesforce/i18n/timeZone', () => ({ default: 'America/Toronto' }), { virtual: true });

registerSa11yMatcher();

const page = require('../../coconutAppointments/__tests__/data/getAppointments.json');

function mount(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-coconut-appointment-list', { is: CoconutAppointmentList });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

function $(element: HTMLElement, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector(selector);
}

describe('c-coconut-appointment-list', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  });

  it('shows a spinner while loading, and no empty message yet', async () => {
    const element = mount({ loading: true });
    await Promise.resolve();
    expect($(element, 'lightning-spinner')).not.toBeNull();
    expect($(element, '.coconut-empty')).toBeNull();
    expect($(element, 'div[aria-busy]')!.getAttribute('aria-busy')).toBe('true');
    await expect(element).toBeAccessible();
  });

  it('shows the empty message', async () => {
    const element = mount({ appointments: [], emptyMessage: 'No upcoming appointments.' });
    await Promise.resolve();
    expect($(element, '.coconut-empty')!.textContent).toBe('No upcoming appointments.');
    expect($(element, 'ul.coconut-list')).toBeNull();
    expect($(element, 'div[aria-busy]')!.getAttribute('aria-busy')).toBe('false');
    await expect(element).toBeAccessible();
  });

  it('shows error lines in an alert and raises retry', async () => {
    const element = mount({
      errors: ['No access.', 'Ask your admin.'],
      appointments: page.records
    });
    const retry = jest.fn();
    element.addEventListener('retry', retry);
    await Promise.resolve();
    const alert = $(element, '[role="alert"]')!;
    expect([...alert.querySelectorAll('.coconut-error-line')].map((li) => li.textContent)).toEqual([
      'No access.',
      'Ask your admin.'
    ]);
    expect($(element, 'ul.coconut-list')).toBeNull();
    expect($(element, '.coconut-empty')).toBeNull();
    $(element, '.coconut-retry')!.click();
    expect(retry).toHaveBeenCalledTimes(1);
    await expect(element).toBeAccessible();
  });

  it('lists the appointments with an accessible name and passes display options down', async () => {
    const element = mount({
      appointments: page.records,
      listLabel: 'Upcoming appointments',
      showClientStatus: true,
      compact: true,
      summary: 'Showing 5 of 7'
    });
    await Promise.resolve();
    const list = $(element, 'ul.coconut-list')!;
    expect(list.getAttribute('aria-label')).toBe('Upcoming appointments');
    const items = element.shadowRoot!.querySelectorAll('c-coconut-appointment-item');
    expect(items).toHaveLength(5);
    const first = items[0] as HTMLElement & {
      appointment: { id: string };
      showClientStatus: boolean;
      compact: boolean;
    };
    expect(first.appointment.id).toBe('a01000000000001AAA');
    expect(first.showClientStatus).toBe(true);
    expect(first.compact).toBe(true);
    expect($(element, '.coconut-summary')!.textContent!.trim()).toBe('Showing 5 of 7');
    expect($(element, '.coconut-load-more')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('offers Load more while there is more, raises loadmore, and disables itself while loading', async () => {
    const element = mount({ appointments: page.records, hasMore: true });
    const loadMore = jest.fn();
    element.addEventListener('loadmore', loadMore);
    await Promise.resolve();
    const button = $(element, '.coconut-load-more') as HTMLElement & {
      label: string;
      disabled: boolean;
    };
    expect(button.label).toBe('Load more');
    expect(button.disabled).toBe(false);
    button.click();
    expect(loadMore).toHaveBeenCalledTimes(1);
    (element as HTMLElement & { loadingMore: boolean }).loadingMore = true;
    await Promise.resolve();
    const busy = $(element, '.coconut-load-more') as HTMLElement & {
      label: string;
      disabled: boolean;
    };
    expect(busy.label).toBe('Loading…');
    expect(busy.disabled).toBe(true);
  });

  it('shows a failed Load more above the button and keeps the list', async () => {
    const element = mount({
      appointments: page.records,
      hasMore: true,
      loadMoreErrors: ['Timed out.']
    });
    await Promise.resolve();
    expect($(element, '.coconut-load-more-error')!.textContent).toBe('Timed out.');
    expect(element.shadowRoot!.querySelectorAll('c-coconut-appointment-item')).toHaveLength(5);
    await expect(element).toBeAccessible();
  });
});
