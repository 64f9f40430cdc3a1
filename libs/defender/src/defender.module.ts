import { outboundConfig } from '@app/common';
import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { getAdapter } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DefenderContextFactory } from './http/defender-context.factory';
import { DefenderHttpClient } from './http/defender-http.client';
import { nodeHttpAdapter } from './http/node-http.adapter';
import { OutboundSockets } from './http/outbound-sockets';
import { TokenService } from './http/token.service';
import { AlertListsCache } from './repositories/alert-lists.cache';
import { AlertUpdatesRepository, DefenderAlertWriter, GraphAlertWriter } from './repositories/alert-writers';
import { PermissionsService } from './permissions/permissions.service';
import { AlertsRepository } from './repositories/alerts.repository';
import { DevicesRepository } from './repositories/devices.repository';
import { FilesRepository } from './repositories/files.repository';
import { HuntingRepository } from './repositories/hunting.repository';
import { IndicatorsRepository } from './repositories/indicators.repository';
import { MachineActionsRepository } from './repositories/machine-actions.repository';
import { MachinesRepository } from './repositories/machines.repository';
import { PrevalenceRepository } from './repositories/prevalence.repository';
import { ObservableSearch } from './search/observable-search';

const REPOSITORIES = [
  AlertsRepository,
  AlertUpdatesRepository,
  AlertListsCache,
  DevicesRepository,
  FilesRepository,
  MachinesRepository,
  HuntingRepository,
  MachineActionsRepository,
  IndicatorsRepository,
  PrevalenceRepository,
  ObservableSearch,
];

/** Exports repositories (and the context factory), never the raw client. */
@Module({
  imports: [
    // Agents made per application (not at import), so each app closes only its own sockets.
    // The proxy is OUTBOUND_PROXY or none: an inherited HTTP(S)_PROXY never reroutes client secrets.
    HttpModule.registerAsync({
      inject: [outboundConfig.KEY],
      useFactory: (outbound: ConfigType<typeof outboundConfig>) => ({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 128 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 128 }),
        proxy: outbound.proxy,
        adapter: nodeHttpAdapter(getAdapter('http')),
      }),
    }),
  ],
  providers: [OutboundSockets, TokenService, DefenderHttpClient, DefenderContextFactory, DefenderAlertWriter, GraphAlertWriter, PermissionsService, ...REPOSITORIES],
  exports: [DefenderContextFactory, PermissionsService, ...REPOSITORIES],
})
export class DefenderModule {}
