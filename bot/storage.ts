// Compile-time proof that our stores are botbuilder Storage implementations (same read/write/delete
// contract with eTags), so bot state could live in them too, and a later SDK move keeps them.
import type { Storage } from 'botbuilder';
import type { DocumentStore } from '../services/store/documentStore';

export const asBotStorage = (store: DocumentStore): Storage => store;
