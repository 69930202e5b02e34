#!/usr/bin/python3
"""pandas-validate.py: the pandas reference of evpipe's validation, for
scripts/bench.

    pandas-validate.py SERVING USER OUT

Written the way a data engineer would write it, not to the letter of the
SPEC: timestamps go through pandas.to_datetime (digits as epoch seconds,
the rest as dates; a time of day becomes today's date, so it compares with
instants instead of being refused), ties keep the first row of a stable
sort.  scripts/bench reports how many rows its result differs by.
"""
import sys

import pandas as pd


def to_time(col):
    epoch = pd.to_numeric(col.where(col.str.fullmatch(r'[0-9]+(\.[0-9]+)?')),
                          errors='coerce')
    t = pd.to_datetime(col.where(epoch.isna()), utc=True, errors='coerce')
    return t.fillna(pd.to_datetime(epoch, unit='s', utc=True))


def main(serving_path, user_path, out_path):
    opts = dict(dtype=str, keep_default_na=False)
    serving = pd.read_csv(serving_path, **opts)
    user = pd.read_csv(user_path, **opts)

    user = user[user['parentEventId'] != '']
    serving = serving.drop_duplicates('eventId', keep='first')
    serving = serving[['eventId', 'eventTimestamp', 'userId', 'advertiserId',
                       'price']]
    m = user.merge(serving, left_on=['parentEventId', 'userId'],
                   right_on=['eventId', 'userId'], suffixes=('', '_serving'))
    m = m[m['userId'] != '']
    m['t'] = to_time(m['eventTimestamp'])
    m['t_serving'] = to_time(m['eventTimestamp_serving'])
    m = m[m['t_serving'] < m['t']]
    m = m.sort_values('t', kind='stable')
    m = m.drop_duplicates(['parentEventId', 'eventType'], keep='first')
    m = m.sort_index()
    m['advertiserId'] = m['advertiserId_serving']
    m['price'] = m['price_serving']
    cols = ['eventId', 'eventTimestamp', 'eventType', 'parentEventId',
            'userId', 'advertiserId', 'deviceId', 'price']
    m[cols].to_csv(out_path, index=False)
    print(len(m))


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.stderr.write('usage: pandas-validate.py SERVING USER OUT\n')
        sys.exit(2)
    main(*sys.argv[1:])
