import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../shared/domain/personal-data';
import { personNamesFile, personNamesSource } from '../../scripts/person-names';

const names = (note: string) => findPersonalData(note).filter((f) => f.kind === 'person_name').map((f) => note.slice(f.index, f.index + f.length));

describe('the name lists', () => {
  it('are what scripts/person-names.ts derives from the installed packages (run `npm run names` after changing it)', () => {
    expect(readFileSync(personNamesFile, 'utf8')).toBe(personNamesSource());
  });
});

describe('names in a note', () => {
  it('finds a known name in any case, wherever it stands', () => {
    expect(names('her husband tariq took her passport')).toEqual(['tariq']);
    expect(names('Agnieszka came again')).toEqual(['Agnieszka']);
    expect(names('met hodan and her aunt')).toEqual(['hodan']);
  });

  it('finds an unknown capitalised name after a relation word, a title or "her name is"', () => {
    expect(names('her husband Tesfalem shouted')).toEqual(['Tesfalem']);
    expect(names('Mrs Okwuosa is aware')).toEqual(['Okwuosa']);
    expect(names('her name is Zelnara')).toEqual(['Zelnara']);
  });

  it('leaves names that are words alone when they are used as words', () => {
    for (const note of [
      'faith leader at the gurdwara', 'she has lost hope', 'by the grace of god', 'the rose garden', 'the brook floods',
      'door bell rang all night', 'victoria station', 'Hope House refuge', 'Grace Church food bank', 'she will ring', 'may need refuge',
      'a mark on her arm', 'the bill is in his name', 'her husband will kill her', 'her sister may come',
    ]) expect(names(note), note).toEqual([]);
  });

  it('finds a name that is a word when a cue and a capital letter make it one', () => {
    expect(names('her daughter Grace is 9')).toEqual(['Grace']);
    expect(names('Mr Bell from the church')).toEqual(['Bell']);
    expect(names('her name is Faith')).toEqual(['Faith']);
  });

  it('reads a title, a stop word after a relation, a relation "is", and a rarer word doing something (issue 28, fresh notes)', () => {
    expect(names('mr bell from no 9 shouts')).toEqual(['bell']);
    expect(names('i miss home')).toEqual([]);
    expect(names('her husband Will checks her bank app')).toEqual(['Will']);
    expect(names('Will ring her back, her husband will be out')).toEqual([]);
    expect(names('ex is kyle thompson')).toContain('kyle');
    expect(names('Aster from the eritrean church came')).toEqual(['Aster']);
  });

  it('reads a saint and a capitalised word before a place word as a place', () => {
    expect(names("met at St Mary's church hall")).toEqual([]);
    expect(names('Victoria Park event, Brook Street surgery')).toEqual([]);
  });

  it('reads "called" as phoned unless a known name follows', () => {
    expect(names('called Local Housing together')).toEqual([]);
    expect(names('a woman called Ewa')).toEqual(['Ewa']);
  });
});
